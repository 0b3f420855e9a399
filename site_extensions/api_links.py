"""The examples' code links each name to its documentation, offline.

sphinx-gallery links a name in an example's code (``torch.nn.Linear``,
``np.maximum``, ``print``, and after a run ``loss.backward``) when
intersphinx knows it. intersphinx is given only the inventories that
`make inventories` (tools/inventories.py) left in the folder conf.py names
(``api_links_inventories``), each with the address of the documentation it
belongs to (``api_links_documentation``), and reads them from there: a build
never fetches one. With none there, intersphinx has nothing to read and
nothing is linked.

The build keeps which inventories it read, with their sizes and times, in
its environment: when that changes (an inventory added, removed or
downloaded anew) Sphinx reads and writes every page again, so every
example's code is linked anew without `make clean`, though no example runs
again.
"""

from pathlib import Path


def present_inventories(documentation, folder):
    """``{name: (address, path)}`` for each of ``documentation``'s
    (``{name: address}``) whose inventory, ``name``.inv, is in ``folder``."""
    folder = Path(folder)
    return {
        name: (address, str(folder / f"{name}.inv"))
        for name, address in documentation.items()
        if (folder / f"{name}.inv").is_file()
    }


def read_stamp(mapping):
    """What identifies the inventories of ``mapping`` as read: each one's
    name, size and modification time."""
    stamp = {}
    for name, (_, path) in sorted(mapping.items()):
        stat = Path(path).stat()
        stamp[name] = (stat.st_size, stat.st_mtime_ns)
    return stamp


def inventories_here(app):
    """The inventories present, as ``present_inventories`` gives them."""
    folder = Path(app.confdir, app.config.api_links_inventories)
    return present_inventories(app.config.api_links_documentation, folder)


def link_to_present_inventories(app, config):
    """intersphinx gets the inventories present, and only those."""
    config.intersphinx_mapping = inventories_here(app)


def relink_when_inventories_change(app, env, added, changed, removed):
    """Every page, to read again, when the inventories are not those the
    last build read; none otherwise."""
    stamp = read_stamp(inventories_here(app))
    if getattr(env, "api_links_read", None) == stamp:
        return []
    env.api_links_read = stamp
    return sorted(env.found_docs)


def setup(app):
    app.setup_extension("sphinx.ext.intersphinx")
    app.add_config_value("api_links_documentation", {}, "env", types=[dict])
    app.add_config_value("api_links_inventories", "_build/inventories", "env", [str])
    # Before intersphinx checks the mapping (priority 800).
    app.connect("config-inited", link_to_present_inventories, priority=700)
    app.connect("env-get-outdated", relink_when_inventories_change)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
