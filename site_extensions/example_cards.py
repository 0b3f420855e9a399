"""The home page's path: a card for each example of some sections, in order.

    .. example-cards:: tensors autograd nn
       :label: Lesson {number} of {count}

writes sphinx-design's grid of cards: one per example of those sections
(folders of the gallery's examples), in teaching order. A card shows the
example's thumbnail (sphinx-gallery's, paired with its dark copy by
site_extensions.dark_thumbnails), the label, the page's title as a link, and the
first sentence of the example's introduction, the lesson's idea. All of it
comes from the examples themselves, so a new example or a new title needs
no edit here. The title's link covers the card (a11y.css): one link per
card, named by the page's title, which the keyboard reaches in order.

A section with no example, or an example with no introduction, fails the
build naming it.
"""

import re
from pathlib import Path

from docutils import nodes
from docutils.parsers.rst import directives
from docutils.statemachine import StringList
from sphinx.errors import ExtensionError
from sphinx.util.docutils import SphinxDirective

from tools.prose import split_sentences

from .gallery_hooks import examples_in_teaching_order, teaching_order


def title_and_idea(source: str, path) -> tuple[str, str]:
    """An example's title and the first sentence of its introduction (reST),
    from its docstring: the title, its underline, then the introduction."""
    match = re.match(r'\s*[rRuU]?("""|\'\'\')(.*?)\1', source, re.DOTALL)
    docstring = match.group(2) if match else ""
    blocks = [" ".join(block.split()) for block in re.split(r"\n\s*\n", docstring)]
    blocks = [block for block in blocks if block]
    title_block = blocks[0].split() if blocks else []
    underlined = len(title_block) > 1 and re.fullmatch(
        r"([=\-~^*#])\1+", title_block[-1]
    )
    if not underlined or len(blocks) < 2:
        raise ExtensionError(
            f"{path}: an example starts with a docstring holding its title, "
            "underlined, and a paragraph introducing it, for its card on the "
            "home page (site_extensions.example_cards)"
        )
    title = " ".join(title_block[:-1])
    return title, split_sentences(blocks[1])[0]


def card(example: Path, examples_dir: Path, gallery: str, label: str) -> list[str]:
    """The reST of one example's card (sphinx-design's grid-item-card)."""
    section = example.parent.relative_to(examples_dir).as_posix()
    title, idea = title_and_idea(example.read_text(encoding="utf-8"), example)
    page = f"/{gallery}/{section}/{example.stem}"
    thumbnail = f"/{gallery}/{section}/images/thumb/sphx_glr_{example.stem}_thumb.png"
    return [
        f"   .. grid-item-card:: :doc:`{title} <{page}>`",
        f"      :img-top: {thumbnail}",
        "      :class-card: path-card",
        "",
        "      .. card-header::",
        "",
        f"         {label}",
        "",
        f"      {idea}",
        "",
    ]


class ExampleCards(SphinxDirective):
    required_arguments = 1
    final_argument_whitespace = True
    option_spec = {"label": directives.unchanged}

    def run(self):
        gallery_conf = self.config.sphinx_gallery_conf
        examples_dir = Path(self.env.srcdir, gallery_conf["examples_dirs"]).resolve()
        gallery = gallery_conf["gallery_dirs"]
        label = self.options.get("label", "Page {number}")
        chosen = []
        for section in self.arguments[0].split():
            found = [
                path
                for path in examples_in_teaching_order(examples_dir)
                if path.parent.name == section
            ]
            if not found:
                raise self.error(
                    f"example-cards: no example in the section {section!r} "
                    f"(a folder of {examples_dir})"
                )
            chosen += found
        lines = [".. grid:: 1 2 3 3", "   :gutter: 3", ""]
        for example in chosen:
            self.env.note_dependency(str(example))
            text = label.format(number=teaching_order(example), count=len(chosen))
            lines += card(example, examples_dir, gallery, text)
        container = nodes.container()
        self.state.nested_parse(
            StringList(lines, self.get_source_info()[0]), 0, container
        )
        return container.children


def setup(app):
    app.setup_extension("sphinx_design")
    app.add_directive("example-cards", ExampleCards)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
