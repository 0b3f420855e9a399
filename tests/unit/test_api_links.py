"""A build links the examples' code to the documentation whose inventory
`make inventories` left in the folder, read from there, and to nothing else
(site_extensions/api_links.py)."""

from types import SimpleNamespace

from fakes import FakeApp, setup_of

import conf
from site_extensions import api_links

DOCUMENTATION = {
    "python": "https://docs.example/python/",
    "torch": "https://docs.example/torch/",
}


def app_for(folder):
    """An app whose conf.py names ``folder`` and DOCUMENTATION."""
    return FakeApp(
        confdir=folder.parent,
        api_links_documentation=DOCUMENTATION,
        api_links_inventories=folder.name,
        intersphinx_mapping={"left": ("https://elsewhere.example/", None)},
    )


def configured(folder):
    """The config after the extension's config-inited handler, for inventories
    in ``folder``."""
    app = app_for(folder)
    api_links.link_to_present_inventories(app, app.config)
    return app.config


def test_intersphinx_gets_each_present_inventory_as_a_local_file(tmp_path):
    folder = tmp_path / "inventories"
    folder.mkdir()
    (folder / "torch.inv").write_bytes(b"inventory")
    (folder / "scipy.inv").write_bytes(b"one conf.py does not name")
    config = configured(folder)
    # The address the links point to, and the file intersphinx reads: a
    # path, not a URL, so it never fetches anything.
    assert config.intersphinx_mapping == {
        "torch": ("https://docs.example/torch/", str(folder / "torch.inv"))
    }
    assert "://" not in config.intersphinx_mapping["torch"][1]


def test_without_inventories_intersphinx_has_nothing_to_read(tmp_path):
    for folder in (tmp_path / "empty", tmp_path / "missing"):
        if folder.name == "empty":
            folder.mkdir()
        assert configured(folder).intersphinx_mapping == {}


def test_every_page_is_read_again_when_the_inventories_change(tmp_path):
    folder = tmp_path / "inventories"
    folder.mkdir()
    app = app_for(folder)
    env = SimpleNamespace(found_docs={"index", "auto_examples/nn/plot_7_optim"})

    def outdated():
        return api_links.relink_when_inventories_change(app, env, set(), set(), set())

    everything = ["auto_examples/nn/plot_7_optim", "index"]
    assert outdated() == everything  # a build with no record of any
    assert outdated() == []
    (folder / "torch.inv").write_bytes(b"inventory")
    assert outdated() == everything
    assert outdated() == []
    (folder / "torch.inv").write_bytes(b"a newer inventory")
    assert outdated() == everything
    (folder / "torch.inv").unlink()
    assert outdated() == everything
    assert outdated() == []


def test_the_extension_sets_intersphinx_up_before_it_checks_the_mapping():
    app, metadata = setup_of(api_links)
    assert metadata == {"parallel_read_safe": True, "parallel_write_safe": True}
    handlers = {event: (handler, priority) for event, handler, priority in app.handlers}
    handler, priority = handlers["config-inited"]
    assert handler == api_links.link_to_present_inventories
    assert priority < 800  # intersphinx's own config-inited check
    assert handlers["env-get-outdated"][0] == api_links.relink_when_inventories_change
    assert "setup_extension" in app.calls
    assert set(app.config_values) == {
        "api_links_documentation",
        "api_links_inventories",
    }


def test_conf_py_names_the_documentation_of_what_the_examples_import():
    names = set(conf.api_links_documentation)
    assert {"python", "numpy", "matplotlib", "torch"} <= names
    for address in conf.api_links_documentation.values():
        assert address.startswith("https://") and address.endswith("/")
    assert "site_extensions.api_links" in conf.extensions
