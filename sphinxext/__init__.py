"""The site's own Sphinx extensions, each switched on by name in conf.py.

Every module here that hooks into Sphinx is an extension with its own
``setup(app)``, named in conf.py's ``extensions``; the others are what
sphinx-gallery calls by name (the image scraper) and the modules it uses.
"""

from pkgutil import extend_path

# sphinxext-opengraph installs itself as sphinxext.opengraph, a part of a
# namespace package of this very name: without this, the package here would
# hide it.
__path__ = extend_path(__path__, __name__)
