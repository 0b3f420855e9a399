"""Stand-ins for what Sphinx hands an extension, for the unit tests."""

from types import SimpleNamespace


class FakeApp:
    """Records what an extension's setup() asks of Sphinx; carries a config."""

    def __init__(self, srcdir=".", confdir=".", **config):
        self.srcdir = str(srcdir)
        self.confdir = str(confdir)
        self.config = SimpleNamespace(project="A Site", **config)
        self.config_values = {}
        self.handlers = []
        self.calls = []

    def add_config_value(self, name, default, rebuild, types=()):
        self.config_values[name] = default

    def connect(self, event, handler, priority=500):
        self.handlers.append((event, handler, priority))

    def __getattr__(self, name):  # add_node, add_directive, add_css_file, ...
        return lambda *args, **kwargs: self.calls.append(name)


def setup_of(module, **config):
    """The app after ``module.setup(app)``, and what setup returned."""
    app = FakeApp(**config)
    return app, module.setup(app)


def inventory_bytes(project, objects):
    """A Sphinx inventory (objects.inv) of ``project`` that lists ``objects``,
    ``{name: (role, address relative to the documentation)}`` in Python's
    domain, as a documentation's build writes it."""
    import sphobjinv

    inventory = sphobjinv.Inventory()
    inventory.project, inventory.version = project, "1.0"
    for name, (role, uri) in objects.items():
        entry = sphobjinv.DataObjStr(
            name=name, domain="py", role=role, priority="1", uri=uri, dispname="-"
        )
        inventory.objects.append(entry)
    return sphobjinv.compress(inventory.data_file(contract=True))


def assert_gallery_changed(error, start):
    """That ``error`` (pytest's ExceptionInfo) is the one line of
    site_extensions.gallery_changed, starting with ``start`` and naming the
    sphinx-gallery versions known to work."""
    assert str(error.value).startswith(start)
    assert "known to work with sphinx-gallery>=" in str(error.value)
