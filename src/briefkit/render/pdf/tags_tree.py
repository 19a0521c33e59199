"""The structure tree of a briefkit PDF, written with pikepdf after reportlab is done.

:func:`add_structure` writes ``StructTreeRoot``, its ``ParentTree``, the pages'
``StructParents``, the link annotations' ``StructParent``, ``MarkInfo`` and the catalogue's
``Lang``, from the elements :mod:`briefkit.render.pdf.tags` recorded while drawing.
"""

from __future__ import annotations

import pikepdf
from pikepdf import Array, Dictionary, Name

from briefkit.render.pdf.tags import Element, Tags


def add_structure(pdf: pikepdf.Pdf, tags: Tags) -> None:
    pages = list(pdf.pages)
    root = pdf.make_indirect(Dictionary(Type=Name.StructTreeRoot))
    by_page: list[dict[int, pikepdf.Object]] = [{} for _ in pages]
    annotations: list[tuple[pikepdf.Object, pikepdf.Object]] = []  # (annotation, its Link)
    links = [
        [a for a in page.obj.get("/Annots", Array()) if a.get("/Subtype") == Name.Link]
        for page in pages
    ]

    def write(element: Element, parent: pikepdf.Object) -> pikepdf.Object:
        node = pdf.make_indirect(Dictionary(Type=Name.StructElem, S=Name("/" + element.type)))
        node.P = parent
        if element.lang:
            node.Lang = pikepdf.String(element.lang)
        if element.attributes:
            attributes = {"/" + k: Name("/" + v) for k, v in element.attributes.items()}
            node.A = Dictionary({"/O": Name.Table, **attributes})
        first_page = next(
            (k[0] for k in element.kids if isinstance(k, tuple) and isinstance(k[0], int)), None
        )
        if first_page is not None:
            node.Pg = pages[first_page].obj
        kids = Array()
        for kid in element.kids:
            if isinstance(kid, Element):
                kids.append(write(kid, node))
            elif isinstance(kid[0], str):
                _, page_index, index = kid
                annotation = links[page_index][index]
                kids.append(Dictionary(Type=Name.OBJR, Obj=annotation, Pg=pages[page_index].obj))
                annotations.append((annotation, node))
            else:
                page_index, mcid = kid
                by_page[page_index][mcid] = node
                if page_index == first_page:
                    kids.append(mcid)
                else:
                    kids.append(Dictionary(Type=Name.MCR, Pg=pages[page_index].obj, MCID=mcid))
        node.K = kids
        return node

    document = write(tags.root, root)
    root.K = Array([document])
    numbers = Array()
    for index, (page, mcids) in enumerate(zip(pages, by_page, strict=True)):
        page.obj.StructParents = index
        numbers.append(index)
        numbers.append(pdf.make_indirect(Array([mcids[m] for m in sorted(mcids)])))
    key = len(pages)
    for annotation, node in annotations:
        annotation.StructParent = key
        numbers.append(key)
        numbers.append(node)
        key += 1
    root.ParentTree = pdf.make_indirect(Dictionary(Nums=numbers))
    root.ParentTreeNextKey = key
    pdf.Root.StructTreeRoot = root
    pdf.Root.MarkInfo = Dictionary(Marked=True)
    if tags.root.lang:
        pdf.Root.Lang = pikepdf.String(tags.root.lang)
    for page in pages:
        if "/Annots" in page.obj:
            page.obj.Tabs = Name.S
