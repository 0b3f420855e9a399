"""The notebooks' cross-references, as links to the site's pages.

The examples' prose points at other pages with Sphinx's roles: ``:ref:`` to
another example, ``:term:`` to the glossary, ``:doc:`` to a hand-written page.
sphinx-gallery copies that prose into the notebooks' Markdown cells nearly as
it is, so a reader of a downloaded notebook, or of one opened in Colab, would
see ```page 1 <sphx_glr_auto_examples_tensors_plot_1_numpy_warmup.py>```.
Here each reference becomes a Markdown link to the place it names on the
published site (site_extensions.published_address) when the build knows that
address, and its plain text when it does not. A reference to nothing of this
site, or a role that has no Markdown form, is a warning naming the notebook.
The ``.py`` downloads keep the reST, as a docstring reader expects.

A Sphinx extension. Where a reference goes is known once every page has been
read (Sphinx's standard domain: labels, glossary terms, documents), long after
sphinx-gallery wrote the notebooks as the builder started; and it writes
again only the notebooks of examples that changed, while a label's page or the
address may change without them. So once the pages are read (``env-updated``),
each notebook is made anew from its example: sphinx-gallery's notebook of the
example's text and code, its references rewritten, with the install cell of
site_extensions.install_lines first; a notebook is written, and a zip that holds
it rewritten, only if it changed.
"""

import inspect
import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from pathlib import Path

from sphinx.util import docname_join, logging
from sphinx.util.nodes import clean_astext

from . import gallery_changed
from .install_lines import gallery_dirs, notebook_cell, page_install_line, refresh_zip
from .published_address import published_address

logger = logging.getLogger(__name__)

# The arguments of sphinx-gallery's _clean_script_blocks (0.22).
CLEAN_ARGUMENTS = ["gallery_conf", "parser", "script_blocks", "output_blocks"]
# A reST role, with or without a domain: :ref:`text <target>`, :term:`target`.
ROLE = re.compile(r"(?<![\w`]):(?:[a-z]+:)?([a-z]+):`([^`]+)`")
# A role's content with an explicit title: "text <target>".
TITLED = re.compile(r"(.+?)\s*<([^<>]+)>", re.DOTALL)


@dataclass(frozen=True)
class Targets:
    """What a notebook's references may point to: Sphinx's standard domain
    once every page is read, and where the site is published."""

    # label -> (docname, anchor, the title of the section it labels or "")
    labels: dict[str, tuple[str, str, str]]
    # glossary term, in lower case -> (docname, anchor)
    terms: dict[str, tuple[str, str]]
    # docname -> its title, as plain text
    titles: dict[str, str]
    # The published address, ending in "/"; None when the build knows none.
    address: str | None
    # A page's address relative to the site's root, from its docname.
    page: Callable[[str], str]

    @classmethod
    def of(cls, app, env) -> "Targets":
        std = env.domains.standard_domain
        sections = {name: title for name, (_, _, title) in std.labels.items()}
        return cls(
            labels={
                name: (docname, anchor, sections.get(name, ""))
                for name, (docname, anchor) in std.anonlabels.items()
            },
            terms={
                name.lower(): place
                for (kind, name), place in std.objects.items()
                if kind == "term"
            },
            titles={name: clean_astext(title) for name, title in env.titles.items()},
            address=published_address(app.config.github_repository),
            page=app.builder.get_target_uri,
        )

    def find(self, role: str, target: str, docname: str):
        """The page and anchor that ``:role:`target``` in the page ``docname``
        points to, and the text Sphinx would show for it; None if nothing here."""
        if role == "ref" and target in self.labels:
            page, anchor, section = self.labels[target]
            return (page, anchor), section
        if role == "term" and target.lower() in self.terms:
            return self.terms[target.lower()], target
        page = docname_join(docname, target)
        if role == "doc" and page in self.titles:
            return (page, ""), self.titles[page]
        return None

    def link(self, text: str, page: str, anchor: str) -> str:
        """``text``, linked to ``anchor`` (or the top) of ``page`` (a docname)
        if the site has an address; else ``text`` alone."""
        if self.address is None:
            return text
        text = text.replace("[", r"\[").replace("]", r"\]")
        fragment = f"#{anchor}" if anchor else ""
        return f"[{text}]({self.address}{self.page(page)}{fragment})"


# What each role that Targets.find knows points to.
KINDS = {"ref": "label", "term": "glossary term", "doc": "page"}


def linked(text: str, docname: str, targets: Targets) -> tuple[str, list[str]]:
    """``text``, reST from the page ``docname``, with each role in it replaced
    by a Markdown link (Targets.link) or its text; and one line for each
    reference that could not be linked, saying why."""
    problems = []

    def replace(match: re.Match) -> str:
        role, content = match[1], match[2]
        titled = TITLED.fullmatch(content)
        title, target = (titled[1], titled[2]) if titled else (None, content)
        target = " ".join(target.split())
        found = targets.find(role, target, docname)
        shown = " ".join((title or (found and found[1]) or target).split())
        if found is not None:
            return targets.link(shown, *found[0])
        if role in KINDS:
            problems.append(f"{match[0]} names no {KINDS[role]} of this site")
        else:
            problems.append(f"{match[0]}: :{role}: has no Markdown form")
        return shown

    return ROLE.sub(replace, text), problems


def warned(notebook: str, docname: str, targets: Targets, text: str) -> str:
    """linked(), each problem a build warning naming ``notebook``."""
    text, problems = linked(text, docname, targets)
    for problem in problems:
        logger.warning(
            "%s: %s (left as its text)", notebook, problem, type="notebook_links"
        )
    return text


def clean_script_blocks() -> Callable:
    """sphinx-gallery's private ``gen_rst._clean_script_blocks``, what it does
    to an example's blocks before it writes the notebook; an error if it has
    none, or one that takes other arguments."""
    from sphinx_gallery import gen_rst

    clean = getattr(gen_rst, "_clean_script_blocks", None)
    if clean is None or list(inspect.signature(clean).parameters) != CLEAN_ARGUMENTS:
        raise gallery_changed(
            __name__,
            "sphinx-gallery has no private function sphinx_gallery.gen_rst."
            f"_clean_script_blocks({', '.join(CLEAN_ARGUMENTS)}); the notebooks "
            "cannot be made as sphinx-gallery makes them",
        )
    return clean


def notebook(example: Path, gallery_conf: dict, rewrite: Callable[[str], str]) -> dict:
    """The notebook that sphinx-gallery makes of ``example``, a program in
    the gallery folder, with ``rewrite`` applied to the reST of each text
    block first."""
    from sphinx_gallery import py_source_parser
    from sphinx_gallery.notebook import jupyter_notebook

    _, blocks = py_source_parser.split_code_and_text_blocks(str(example))
    # What sphinx-gallery does to the blocks before it writes the notebook.
    blocks, _ = clean_script_blocks()(gallery_conf, py_source_parser, blocks, [])
    blocks = [
        block._replace(content=rewrite(block.content))
        if block.type == "text"
        else block
        for block in blocks
    ]
    return jupyter_notebook(blocks, gallery_conf, example.parent)


def save(notebook: dict, path: Path) -> None:
    """Write ``notebook`` at ``path`` as sphinx-gallery writes notebooks,
    unless it holds that already (a rebuild that changes nothing touches no
    file)."""
    new = json.dumps(notebook, indent=2)
    if not path.is_file() or path.read_text(encoding="utf-8") != new:
        path.write_text(new, encoding="utf-8")


def write_notebooks(app, env) -> None:
    """Make every notebook of the galleries anew from its example: references
    linked, the install cell first; and put them in the zips."""
    targets = Targets.of(app, env)
    gallery_conf = app.config.sphinx_gallery_conf
    srcdir = Path(app.srcdir)
    for gallery in gallery_dirs(app):
        for path in sorted(gallery.rglob("*.ipynb")):
            example = path.with_suffix(".py")
            if not example.is_file():  # left behind by an example since removed
                continue
            name = path.relative_to(srcdir)
            rewrite = partial(
                warned, name.as_posix(), name.with_suffix("").as_posix(), targets
            )
            made = notebook(example, gallery_conf, rewrite)
            made["cells"].insert(0, notebook_cell(page_install_line(app, example)))
            save(made, path)
        # sphinx-gallery zips the notebooks it writes, as it writes them.
        for archive in sorted(gallery.rglob("*.zip")):
            refresh_zip(archive)


def setup(app):
    # The install cell's line, from install_lines_packages.
    app.setup_extension("site_extensions.install_lines")
    # Once every page is read: the references' targets are known.
    app.connect("env-updated", write_notebooks)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
