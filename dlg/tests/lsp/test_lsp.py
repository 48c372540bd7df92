"""`dlg lsp` driven like an editor: diagnostics, hover, completion, navigation, rename, symbols,
formatting and the diagnostics latency on a 2,000-line file (printed, never asserted)."""

import statistics
import time

from lsprotocol import types
from pytest_lsp import LanguageClient

from conftest import log, uri

BROKEN = "void f()\n{\n\tx = 1 +;\n\ty = (2;\n\tinfo x;\n}\n"


def open_doc(client: LanguageClient, name: str, text: str, version: int = 1) -> str:
    doc_uri = uri(name)
    client.text_document_did_open(
        types.DidOpenTextDocumentParams(
            text_document=types.TextDocumentItem(
                uri=doc_uri, language_id="deluge", version=version, text=text
            )
        )
    )
    return doc_uri


def change(client: LanguageClient, doc_uri: str, version: int, edits):
    changes = [
        types.TextDocumentContentChangePartial(
            range=types.Range(start=types.Position(*start), end=types.Position(*end)),
            text=text,
        )
        for (start, end, text) in edits
    ]
    client.text_document_did_change(
        types.DidChangeTextDocumentParams(
            text_document=types.VersionedTextDocumentIdentifier(uri=doc_uri, version=version),
            content_changes=changes,
        )
    )


def pos(doc_uri: str, line: int, character: int):
    return dict(
        text_document=types.TextDocumentIdentifier(uri=doc_uri),
        position=types.Position(line=line, character=character),
    )


async def test_errors_on_open_then_the_new_set_after_each_edit(client: LanguageClient):
    doc_uri = open_doc(client, "scratch.dg", BROKEN)
    await client.wait_for_notification(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
    errors = client.diagnostics[doc_uri]
    assert len(errors) == 2, errors
    assert all(d.severity == types.DiagnosticSeverity.Error for d in errors)
    assert [d.range.start.line for d in errors] == [2, 3]

    # Fix the first error: `1 +;` -> `1 + 2;` (line 2, columns 8..8).
    change(client, doc_uri, 2, [((2, 8), (2, 8), " 2")])
    await client.wait_for_notification(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
    errors = client.diagnostics[doc_uri]
    assert [d.range.start.line for d in errors] == [3], errors

    # Fix the second: `(2;` -> `(2);`.
    change(client, doc_uri, 3, [((3, 7), (3, 7), ")")])
    await client.wait_for_notification(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
    left = client.diagnostics[doc_uri]
    # No syntax error is left; `y` is never read, which the lints now say.
    assert [(d.severity, d.code, d.range.start.line) for d in left] == [
        (types.DiagnosticSeverity.Warning, "unused-variable", 3)
    ], left


async def test_hover_shows_functions_builtins_tasks_and_variable_types(client: LanguageClient):
    text = (
        "void g()\n{\n\ts = \"abc\";\n\tn = s.length();\n\tr = formatName(\"a\", \"b\");\n"
        "\tc = zoho.crm.getRecordById(\"Leads\", 1);\n}\n"
    )
    doc_uri = open_doc(client, "hover.dg", text)
    await client.wait_for_notification(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)

    async def hover(line, character):
        result = await client.text_document_hover_async(types.HoverParams(**pos(doc_uri, line, character)))
        assert result is not None, (line, character)
        return result.contents.value

    assert "s: TEXT" in await hover(2, 1)
    assert "length" in await hover(3, 8) and "NUMBER" in await hover(3, 8)
    user = await hover(4, 7)
    assert "string formatName(string first, string last)" in user
    assert "Formats a customer's full name." in user and "helpers.dg" in user
    task = await hover(5, 20)
    assert "zoho.crm.getRecordById(module TEXT" in task
    assert "n: NUMBER" in await hover(3, 1)


async def test_completion_offers_methods_variables_functions_and_task_keys(client: LanguageClient):
    text = "void g()\n{\n\ts = \"abc\";\n\tt = s.\n\tu = \n\tr = invokeurl\n\t[\n\t\t\n\t];\n}\n"
    doc_uri = open_doc(client, "complete.dg", text)
    await client.wait_for_notification(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)

    async def labels(line, character):
        result = await client.text_document_completion_async(types.CompletionParams(**pos(doc_uri, line, character)))
        items = result.items if hasattr(result, "items") else result
        return {item.label for item in items}

    methods = await labels(3, 7)
    assert {"length", "toUpperCase", "contains"} <= methods
    assert "put" not in methods  # a TEXT receiver has no map methods
    general = await labels(4, 5)
    assert {"s", "formatName", "standalone.formatName", "thisapp.countItems", "if", "ifnull"} <= general
    keys = await labels(7, 2)
    assert {"url", "type", "parameters", "headers", "connection"} <= keys


async def test_signature_help_names_the_current_parameter(client: LanguageClient):
    text = "void g()\n{\n\tr = formatName(\"a\", \n}\n"
    doc_uri = open_doc(client, "sig.dg", text)
    await client.wait_for_notification(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
    result = await client.text_document_signature_help_async(types.SignatureHelpParams(**pos(doc_uri, 2, 21)))
    assert result.signatures[0].label == "string formatName(string first, string last)"
    assert result.active_parameter == 1


async def test_definition_is_found_in_another_file(client: LanguageClient):
    main = uri("main.dg")
    result = await client.text_document_definition_async(types.DefinitionParams(**pos(main, 2, 10)))
    assert len(result) == 1
    assert result[0].uri == uri("helpers.dg")
    assert result[0].range.start == types.Position(line=2, character=7)


async def test_references_and_rename_span_every_file(client: LanguageClient):
    helpers = uri("helpers.dg")
    refs = await client.text_document_references_async(
        types.ReferenceParams(context=types.ReferenceContext(include_declaration=True), **pos(helpers, 2, 9))
    )
    assert sorted((r.uri.rsplit("/", 1)[1], r.range.start.line) for r in refs) == [
        ("helpers.dg", 2), ("main.dg", 2), ("main.dg", 4)
    ]
    edit = await client.text_document_rename_async(
        types.RenameParams(new_name="fullName", **pos(uri("main.dg"), 4, 22))
    )
    assert set(edit.changes) == {helpers, uri("main.dg")}
    assert all(e.new_text == "fullName" for edits in edit.changes.values() for e in edits)
    assert len(edit.changes[uri("main.dg")]) == 2

    variable = await client.text_document_rename_async(
        types.RenameParams(new_name="whole", **pos(helpers, 4, 2))
    )
    assert [e.range.start.line for e in variable.changes[helpers]] == [4, 5]


async def test_rename_to_an_invalid_name_is_refused_with_the_reason(client: LanguageClient):
    try:
        await client.text_document_rename_async(types.RenameParams(new_name="9x", **pos(uri("main.dg"), 2, 10)))
    except Exception as error:  # the server answers with an error response
        assert "is not a valid name" in str(error)
    else:
        raise AssertionError("rename to `9x` was accepted")


async def test_symbols_folding_and_semantic_tokens(client: LanguageClient):
    helpers = uri("helpers.dg")
    symbols = await client.text_document_document_symbol_async(
        types.DocumentSymbolParams(text_document=types.TextDocumentIdentifier(uri=helpers))
    )
    assert [s.name for s in symbols] == ["formatName", "countItems"]
    assert [c.name for c in symbols[0].children] == ["first", "last", "full"]
    found = await client.workspace_symbol_async(types.WorkspaceSymbolParams(query="count"))
    assert [s.name for s in found] == ["countItems"]
    folds = await client.text_document_folding_range_async(
        types.FoldingRangeParams(text_document=types.TextDocumentIdentifier(uri=helpers))
    )
    assert any(f.start_line == 3 for f in folds)
    tokens = await client.text_document_semantic_tokens_full_async(
        types.SemanticTokensParams(text_document=types.TextDocumentIdentifier(uri=helpers))
    )
    assert len(tokens.data) % 5 == 0 and len(tokens.data) > 20
    # The first token is the leading comment (type 3 in the legend).
    assert list(tokens.data[:5]) == [0, 0, 34, 3, 0]


MESSY = "void h()\n{\nif(x>1){info \"a\";}\n  y=2;\n}\n"


async def test_formatting_whole_document_and_range(client: LanguageClient):
    doc_uri = open_doc(client, "format.dg", MESSY)
    await client.wait_for_notification(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
    options = types.FormattingOptions(tab_size=4, insert_spaces=True)
    edits = await client.text_document_formatting_async(
        types.DocumentFormattingParams(text_document=types.TextDocumentIdentifier(uri=doc_uri), options=options)
    )
    assert edits is not None
    ranged = await client.text_document_range_formatting_async(
        types.DocumentRangeFormattingParams(
            text_document=types.TextDocumentIdentifier(uri=doc_uri),
            range=types.Range(start=types.Position(3, 0), end=types.Position(3, 6)),
            options=options,
        )
    )
    assert ranged is not None
    assert edits, "the formatter changed nothing in a messy file"
    assert all(e.range.start.line >= 2 for e in edits)
    assert all(e.range.start.line >= 3 and e.range.end.line <= 4 for e in ranged)


async def test_lint_warnings_arrive_with_the_syntax_errors(client: LanguageClient):
    doc_uri = open_doc(client, "lints.dg", "void k()\n{\n\tunused = 1;\n\treturn;\n\tinfo \"never\";\n}\n")
    await client.wait_for_notification(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
    warnings = [d for d in client.diagnostics[doc_uri] if d.severity == types.DiagnosticSeverity.Warning]
    assert {w.range.start.line for w in warnings} >= {2, 4}, warnings
    assert all(isinstance(w.code, str) and w.code for w in warnings)


def long_script(lines: int) -> str:
    body = []
    for i in range(lines // 4):
        body.append(f"\tv{i} = Map();\n\tv{i}.put(\"k\", {i});\n\tif(v{i}.get(\"k\") > 3) {{ info v{i}; }}\n\ttotal = total + {i};\n")
    return "void big()\n{\n\ttotal = 0;\n" + "".join(body) + "}\n"


async def test_diagnostics_latency_after_an_edit_in_a_2000_line_file(client: LanguageClient):
    text = long_script(2000)
    doc_uri = open_doc(client, "big.dg", text)
    await client.wait_for_notification(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
    assert len(client.diagnostics[doc_uri]) == 0
    lines = text.count("\n")
    timings = []
    for n in range(30):
        line = 3 + (n * 61) % (lines - 5)
        edit = ((line, 1), (line, 1), " ") if n % 2 == 0 else ((line, 1), (line, 2), "")
        started = time.perf_counter()
        change(client, doc_uri, n + 2, [edit])
        await client.wait_for_notification(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
        timings.append((time.perf_counter() - started) * 1000)
    log(
        f"LATENCY diagnostics after an edit, {lines}-line file, {len(timings)} edits: "
        f"median {statistics.median(timings):.1f} ms, max {max(timings):.1f} ms"
    )
