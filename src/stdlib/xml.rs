//! XML built-ins (language.md §6.9): `executeXPath` and `toXmlList`.
//!
//! `executeXPath` works on XML text and on JSON text (an object or array, wrapped under a
//! `<root>` element: each key becomes an element, each array item repeats its key's element,
//! items of a top-level or nested array become `<element>`; characters not allowed in XML
//! names become `_`). Results are text: matched elements with their tags
//! (`<city>Surat</city>`), attributes as an element named after them (`<href>...</href>`),
//! `text()` nodes bare, all concatenated in document order; strings, numbers and booleans as
//! their text. Like Zoho (whose parser is not namespace-aware), a default `xmlns` is ignored so
//! `/root/item` matches, and prefixes declared in the document (`soap:`) can be used.

use std::fmt::Write;

use sxd_document::dom::{ChildOfElement, ChildOfRoot, Element};
use sxd_xpath::nodeset::Node;
use sxd_xpath::{Context, Factory};

use crate::eval::context::NativeCtx;
use crate::eval::value::{CollectionData, Value, ValueType};
use crate::eval::args::Args;
use crate::stdlib::registry::{Builtin, NativeResult, Receiver};

/// The XML built-ins.
#[rustfmt::skip]
pub static BUILTINS: &[Builtin] = &[
    Builtin {
        name: "executeXPath",
        receiver: Receiver::Type(ValueType::Text),
        params: "(xpath: TEXT)",
        returns: "TEXT",
        arity: (1, 1),
        summary: "Evaluates an XPath on XML text, or on JSON text wrapped under `/root`; matched elements keep their tags.",
        func: execute_xpath,
    },
    Builtin {
        name: "toXmlList",
        receiver: Receiver::Type(ValueType::Text),
        params: "()",
        returns: "LIST",
        arity: (0, 0),
        summary: "The top-level XML elements of the text (e.g. an executeXPath result), each as XML text.",
        func: to_xml_list,
    },
];

fn execute_xpath(_: &mut NativeCtx<'_>, a: Args<'_>) -> NativeResult {
    let source = a.text(0)?;
    let xpath = a.text(1)?;
    Ok(evaluate(source, xpath)
        .map(Value::text)
        .map_err(|e| a.error(e))?)
}

fn to_xml_list(_: &mut NativeCtx<'_>, a: Args<'_>) -> NativeResult {
    let items = top_level_elements(a.text(0)?).map_err(|e| a.error(e))?;
    Ok(Value::list_from(
        items.into_iter().map(Value::text).collect(),
    ))
}

/// Evaluates `xpath` on `source` (XML, or JSON wrapped under `<root>`), as text.
pub fn evaluate(source: &str, xpath: &str) -> Result<String, String> {
    let xml = if looks_like_json(source) {
        json_to_xml(source)?
    } else {
        strip_default_namespaces(source)
    };
    let package = sxd_document::parser::parse(&xml).map_err(|e| xml_error(&e, &xml))?;
    let document = package.as_document();
    let compiled = Factory::new()
        .build(xpath)
        .map_err(|e| {
            format!(
                "'{xpath}' is not a valid XPath ({})",
                describe(&e.to_string())
            )
        })?
        .ok_or_else(|| format!("'{xpath}' is not a valid XPath (it is empty)"))?;
    let prefixes = declared_prefixes(&xml);
    check_prefixes(xpath, &prefixes)?;
    let mut context = Context::new();
    for (prefix, uri) in &prefixes {
        context.set_namespace(prefix, uri);
    }
    let root = document.root();
    let evaluated = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        compiled
            .evaluate(&context, root)
            .map(render_xpath_value)
            .map_err(|e| format!("cannot evaluate '{xpath}': {}", plain_names(&e.to_string())))
    }));
    evaluated.unwrap_or_else(|_| Err(format!("cannot evaluate '{xpath}'")))
}

/// A readable message for an XML syntax error: line, column and what is wrong.
fn xml_error(error: &sxd_document::parser::Error, xml: &str) -> String {
    let mut at = error.location().min(xml.len());
    while !xml.is_char_boundary(at) {
        at -= 1;
    }
    let before = &xml[..at];
    let line = before.matches('\n').count() + 1;
    let column = before.chars().rev().take_while(|&c| c != '\n').count() + 1;
    let detail = error.to_string();
    let kinds = detail.split_once(": ").map_or(detail.as_str(), |(_, k)| k);
    format!(
        "the text is not valid XML at line {line}, column {column}: {}",
        describe(kinds)
    )
}

/// Turns `{MismatchedElementEndName}` or `TrailingSlash` into `mismatched element end name`.
fn describe(debug: &str) -> String {
    let mut out = String::new();
    for c in debug.chars() {
        if c.is_ascii_uppercase() {
            if !out.is_empty() && !out.ends_with(' ') {
                out.push(' ');
            }
            out.push(c.to_ascii_lowercase());
        } else if !matches!(c, '{' | '}') {
            out.push(c);
        }
    }
    out
}

/// Replaces `OwnedPrefixedName { prefix: None, local_part: "foo" }` by `foo()`-style names.
fn plain_names(message: &str) -> String {
    static NAME: std::sync::OnceLock<regex::Regex> = std::sync::OnceLock::new();
    let re = NAME.get_or_init(|| {
        regex::Regex::new(
            r#"Owned(?:Prefixed|Q)Name \{ (?:prefix|namespace_uri): (?:None|Some\("([^"]*)"\)), local_part: "([^"]*)" \}"#,
        )
        .expect("valid regex")
    });
    re.replace_all(message, |c: &regex::Captures<'_>| match c.get(1) {
        Some(prefix) => format!("'{}:{}'", prefix.as_str(), &c[2]),
        None => format!("'{}'", &c[2]),
    })
    .into_owned()
}

/// Fails when the XPath uses a namespace prefix the document does not declare.
fn check_prefixes(xpath: &str, declared: &[(String, String)]) -> Result<(), String> {
    static PREFIX: std::sync::OnceLock<regex::Regex> = std::sync::OnceLock::new();
    let re = PREFIX.get_or_init(|| {
        regex::Regex::new(r"(?:^|[^\w.\-:$])([A-Za-z_][\w.\-]*):[A-Za-z_*]").expect("valid regex")
    });
    let unquoted = blank_string_literals(xpath);
    for capture in re.captures_iter(&unquoted) {
        let prefix = &capture[1];
        if !declared.iter().any(|(p, _)| p == prefix) {
            return Err(format!(
                "the XPath uses the prefix '{prefix}:' but the document declares no xmlns:{prefix}"
            ));
        }
    }
    Ok(())
}

/// `xpath` with the contents of its string literals replaced by spaces.
fn blank_string_literals(xpath: &str) -> String {
    let mut out = String::with_capacity(xpath.len());
    let mut quote: Option<char> = None;
    for c in xpath.chars() {
        match quote {
            Some(q) if c == q => {
                quote = None;
                out.push(c);
            }
            Some(_) => out.push(' '),
            None => {
                if c == '\'' || c == '"' {
                    quote = Some(c);
                }
                out.push(c);
            }
        }
    }
    out
}

fn render_xpath_value(value: sxd_xpath::Value<'_>) -> String {
    match value {
        sxd_xpath::Value::Nodeset(nodes) => {
            let mut out = String::new();
            for node in nodes.document_order() {
                write_node(&mut out, node);
            }
            out
        }
        sxd_xpath::Value::String(s) => s,
        sxd_xpath::Value::Boolean(b) => b.to_string(),
        sxd_xpath::Value::Number(n) => format_number(n),
    }
}

fn format_number(n: f64) -> String {
    if n.is_nan() {
        "NaN".to_owned()
    } else if n.fract() == 0.0 && n.abs() < 1e15 {
        format!("{}", n as i64)
    } else {
        n.to_string()
    }
}

fn write_node(out: &mut String, node: Node<'_>) {
    match node {
        Node::Root(root) => {
            for child in root.children() {
                match child {
                    ChildOfRoot::Element(e) => write_element(out, e),
                    ChildOfRoot::Comment(c) => {
                        let _ = write!(out, "<!--{}-->", c.text());
                    }
                    ChildOfRoot::ProcessingInstruction(_) => {}
                }
            }
        }
        Node::Element(e) => write_element(out, e),
        Node::Attribute(attr) => {
            let name = attr.name().local_part();
            let _ = write!(out, "<{name}>");
            escape_into(out, attr.value(), false);
            let _ = write!(out, "</{name}>");
        }
        Node::Text(t) => out.push_str(t.text()),
        Node::Comment(c) => out.push_str(c.text()),
        Node::Namespace(ns) => out.push_str(ns.uri()),
        Node::ProcessingInstruction(pi) => out.push_str(pi.value().unwrap_or("")),
    }
}

fn qualified_name(prefix: Option<&str>, local: &str) -> String {
    match prefix {
        Some(p) => format!("{p}:{local}"),
        None => local.to_owned(),
    }
}

fn write_element(out: &mut String, element: Element<'_>) {
    let name = qualified_name(element.preferred_prefix(), element.name().local_part());
    out.push('<');
    out.push_str(&name);
    for attr in element.attributes() {
        let attr_name = qualified_name(attr.preferred_prefix(), attr.name().local_part());
        let _ = write!(out, " {attr_name}=\"");
        escape_into(out, attr.value(), true);
        out.push('"');
    }
    let children = element.children();
    if children.is_empty() {
        out.push_str("/>");
        return;
    }
    out.push('>');
    for child in children {
        match child {
            ChildOfElement::Element(e) => write_element(out, e),
            ChildOfElement::Text(t) => escape_into(out, t.text(), false),
            ChildOfElement::Comment(c) => {
                let _ = write!(out, "<!--{}-->", c.text());
            }
            ChildOfElement::ProcessingInstruction(pi) => {
                let _ = write!(out, "<?{} {}?>", pi.target(), pi.value().unwrap_or(""));
            }
        }
    }
    let _ = write!(out, "</{name}>");
}

fn escape_into(out: &mut String, text: &str, attribute: bool) {
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' if attribute => out.push_str("&quot;"),
            c => out.push(c),
        }
    }
}

fn looks_like_json(text: &str) -> bool {
    matches!(text.trim_start().as_bytes().first(), Some(b'{' | b'['))
}

/// Removes default-namespace declarations (`xmlns="..."`) so unprefixed XPaths match.
fn strip_default_namespaces(xml: &str) -> String {
    static DEFAULT_NS: std::sync::OnceLock<regex::Regex> = std::sync::OnceLock::new();
    let re = DEFAULT_NS.get_or_init(|| {
        regex::Regex::new(r#"\sxmlns\s*=\s*("[^"]*"|'[^']*')"#).expect("valid regex")
    });
    re.replace_all(xml, "").into_owned()
}

/// The `xmlns:prefix="uri"` declarations in the document.
fn declared_prefixes(xml: &str) -> Vec<(String, String)> {
    static PREFIXED_NS: std::sync::OnceLock<regex::Regex> = std::sync::OnceLock::new();
    let re = PREFIXED_NS.get_or_init(|| {
        regex::Regex::new(r#"xmlns:([A-Za-z_][\w.-]*)\s*=\s*(?:"([^"]*)"|'([^']*)')"#)
            .expect("valid regex")
    });
    re.captures_iter(xml)
        .map(|c| {
            let uri = c.get(2).or_else(|| c.get(3)).map_or("", |m| m.as_str());
            (c[1].to_owned(), uri.to_owned())
        })
        .collect()
}

/// Converts JSON text to XML under `<root>`.
pub fn json_to_xml(json: &str) -> Result<String, String> {
    let value = crate::stdlib::json::parse(json)
        .map_err(|e| format!("the text is neither XML nor valid JSON ({e})"))?;
    let mut out = String::from("<root>");
    write_json_children(&mut out, &value, 0)?;
    out.push_str("</root>");
    Ok(out)
}

const MAX_JSON_DEPTH: usize = 256;

fn write_json_children(out: &mut String, value: &Value, depth: usize) -> Result<(), String> {
    if depth > MAX_JSON_DEPTH {
        return Err(format!(
            "the JSON is nested deeper than {MAX_JSON_DEPTH} levels"
        ));
    }
    match value {
        Value::Map(map) => {
            for (key, item) in map.borrow().iter() {
                let name = xml_name(&crate::eval::render::display(key));
                write_keyed(out, &name, item, depth)?;
            }
        }
        Value::List(list) => {
            for item in list.borrow().iter() {
                write_json_element(out, "element", item, depth)?;
            }
        }
        Value::Collection(c) => match &*c.borrow() {
            CollectionData::Map(entries) => {
                for (key, item) in entries.iter() {
                    let name = xml_name(&crate::eval::render::display(key));
                    write_keyed(out, &name, item, depth)?;
                }
            }
            CollectionData::List(items) => {
                for item in items {
                    write_json_element(out, "element", item, depth)?;
                }
            }
            CollectionData::Empty => {}
        },
        Value::Null => {}
        scalar => escape_into(out, &crate::eval::render::display(scalar), false),
    }
    Ok(())
}

/// A key's value: an array repeats the key's element once per item.
fn write_keyed(out: &mut String, name: &str, item: &Value, depth: usize) -> Result<(), String> {
    if let Value::List(items) = item {
        for each in items.borrow().iter() {
            write_json_element(out, name, each, depth)?;
        }
        return Ok(());
    }
    write_json_element(out, name, item, depth)
}

fn write_json_element(
    out: &mut String,
    name: &str,
    value: &Value,
    depth: usize,
) -> Result<(), String> {
    let _ = write!(out, "<{name}>");
    write_json_children(out, value, depth + 1)?;
    let _ = write!(out, "</{name}>");
    Ok(())
}

/// `key` as an XML element name: disallowed characters become `_`, and a name that does not
/// start with a letter or `_` gets a `_` in front.
fn xml_name(key: &str) -> String {
    let mut name: String = key
        .chars()
        .map(|c| {
            if c.is_alphanumeric() || matches!(c, '_' | '-' | '.') {
                c
            } else {
                '_'
            }
        })
        .collect();
    let starts_well = name
        .chars()
        .next()
        .is_some_and(|c| c.is_alphabetic() || c == '_');
    let reserved = name.len() >= 3 && name[..3].eq_ignore_ascii_case("xml");
    if !starts_well || reserved {
        name.insert(0, '_');
    }
    name
}

/// The top-level elements of `text` (one or more elements, e.g. an executeXPath result).
pub fn top_level_elements(text: &str) -> Result<Vec<String>, String> {
    let body = strip_declaration(text.trim());
    if body.is_empty() {
        return Ok(Vec::new());
    }
    let wrapped = format!("<dlg-list>{}</dlg-list>", strip_default_namespaces(body));
    let package = sxd_document::parser::parse(&wrapped).map_err(|e| xml_error(&e, &wrapped))?;
    let document = package.as_document();
    let mut items = Vec::new();
    for child in document.root().children() {
        if let ChildOfRoot::Element(wrapper) = child {
            for inner in wrapper.children() {
                if let ChildOfElement::Element(e) = inner {
                    let mut out = String::new();
                    write_element(&mut out, e);
                    items.push(out);
                }
            }
        }
    }
    Ok(items)
}

fn strip_declaration(text: &str) -> &str {
    if text.starts_with("<?xml") {
        text.find("?>")
            .map_or(text, |end| text[end + 2..].trim_start())
    } else {
        text
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const CITIES: &str = r#"<?xml version="1.0"?>
<cities region="west">
  <city code="STV">Surat</city>
  <city code="BOM">Mumbai</city>
</cities>"#;

    #[test]
    fn elements_keep_their_tags() {
        assert_eq!(
            evaluate(CITIES, "/cities/city[1]").unwrap(),
            r#"<city code="STV">Surat</city>"#
        );
        assert_eq!(
            evaluate(CITIES, "/cities/city").unwrap(),
            r#"<city code="STV">Surat</city><city code="BOM">Mumbai</city>"#
        );
    }

    #[test]
    fn text_and_values_are_bare() {
        assert_eq!(
            evaluate(CITIES, "/cities/city[2]/text()").unwrap(),
            "Mumbai"
        );
        assert_eq!(evaluate(CITIES, "count(/cities/city)").unwrap(), "2");
        assert_eq!(evaluate(CITIES, "string(/cities/@region)").unwrap(), "west");
        assert_eq!(evaluate(CITIES, "count(/cities/city) > 1").unwrap(), "true");
        assert_eq!(evaluate(CITIES, "/cities/town").unwrap(), "");
    }

    #[test]
    fn documented_attribute_chain() {
        let link = r#"<a href="https://www.zoho.com">Zoho</a>"#;
        let href = evaluate(link, "/a/@href").unwrap();
        assert_eq!(href, "<href>https://www.zoho.com</href>");
        assert_eq!(
            evaluate(&href, "/href/text()").unwrap(),
            "https://www.zoho.com"
        );
    }

    #[test]
    fn json_is_wrapped_under_root() {
        let json = r#"{"name":"Lia","address":{"city":"Surat"},"orders":[343,443]}"#;
        assert_eq!(
            evaluate(json, "/root/address/city").unwrap(),
            "<city>Surat</city>"
        );
        assert_eq!(evaluate(json, "/root/name/text()").unwrap(), "Lia");
        assert_eq!(
            evaluate(json, "/root/orders").unwrap(),
            "<orders>343</orders><orders>443</orders>"
        );
        assert_eq!(
            evaluate("[{\"a b\":1},{\"1x\":2}]", "/root/element").unwrap(),
            "<element><a_b>1</a_b></element><element><_1x>2</_1x></element>"
        );
    }

    #[test]
    fn namespaces() {
        let soap = r#"<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body><r xmlns="urn:x"><v>7</v></r></soap:Body></soap:Envelope>"#;
        assert_eq!(
            evaluate(soap, "/soap:Envelope/soap:Body/r/v/text()").unwrap(),
            "7"
        );
    }

    #[test]
    fn escaping_round_trips() {
        let xml = r#"<a t="x&quot;y">1 &lt; 2 &amp; 3</a>"#;
        assert_eq!(
            evaluate(xml, "/a").unwrap(),
            r#"<a t="x&quot;y">1 &lt; 2 &amp; 3</a>"#
        );
        assert_eq!(evaluate(xml, "/a/text()").unwrap(), "1 < 2 & 3");
        assert_eq!(evaluate("<e/>", "/e").unwrap(), "<e/>");
    }

    #[test]
    fn errors_say_what_is_wrong() {
        assert!(evaluate(CITIES, "/cities/[")
            .unwrap_err()
            .starts_with("'/cities/[' is not a valid XPath"));
        assert_eq!(
            evaluate(CITIES, "").unwrap_err(),
            "'' is not a valid XPath (it is empty)"
        );
        assert!(evaluate("<a><b></a>", "/a")
            .unwrap_err()
            .starts_with("the text is not valid XML"));
        assert!(evaluate("{broken", "/root")
            .unwrap_err()
            .starts_with("the text is neither XML nor valid JSON"));
    }

    #[test]
    fn undeclared_prefixes_and_odd_xpaths_do_not_panic() {
        assert_eq!(
            evaluate("<a/>", "/x:a").unwrap_err(),
            "the XPath uses the prefix 'x:' but the document declares no xmlns:x"
        );
        assert_eq!(
            evaluate("<a>x:b</a>", "/a[text()='x:b']").unwrap(),
            "<a>x:b</a>"
        );
        assert_eq!(evaluate("<a><b/></a>", "/a/child::b").unwrap(), "<b/>");
        for xpath in [
            "$x",
            "1 div 0",
            "foo(1)",
            "//a[position()]",
            "substring('abc', 1 div 0)",
            "//@*",
            "//namespace::*",
            "/a/..",
            "//comment()",
            "//processing-instruction()",
            "sum(//a)",
            "id('x')",
            "lang('en')",
        ] {
            let _ = evaluate("<?pi x?><a xmlns:p='u'><!--c--><p:b p:c='1'/></a>", xpath);
        }
        assert_eq!(
            evaluate("<a/>", "foo(1)").unwrap_err(),
            "cannot evaluate 'foo(1)': unknown function 'foo'"
        );
    }

    #[test]
    fn xml_errors_have_a_position() {
        assert_eq!(
            evaluate("<a>\n<b></a>", "/a").unwrap_err(),
            "the text is not valid XML at line 2, column 6: mismatched element end name"
        );
    }

    #[test]
    fn xml_lists() {
        let found = evaluate(CITIES, "/cities/city").unwrap();
        assert_eq!(
            top_level_elements(&found).unwrap(),
            vec![
                r#"<city code="STV">Surat</city>"#.to_owned(),
                r#"<city code="BOM">Mumbai</city>"#.to_owned()
            ]
        );
        assert_eq!(top_level_elements(CITIES).unwrap().len(), 1);
        assert!(top_level_elements("").unwrap().is_empty());
        assert!(top_level_elements("<a>").is_err());
    }

    #[test]
    fn builtins_report_the_function_name() {
        let env = crate::eval::env::RunEnv::default();
        let mut ctx = NativeCtx::new(&env);
        let err = crate::stdlib::testing::call_in(&mut ctx, execute_xpath, &[Value::text("<a/>"), Value::text("//[")]).unwrap_err();
        assert!(
            err.starts_with("executeXPath: '//[' is not a valid XPath"),
            "{err}"
        );
        let list = crate::stdlib::testing::call_in(&mut ctx, to_xml_list, &[Value::text("<b>1</b><b>2</b>")]).unwrap();
        assert_eq!(crate::eval::render::display(&list), "<b>1</b>,<b>2</b>");
    }

    proptest::proptest! {
        #[test]
        fn never_panics_on_any_xpath(xpath in "[a-z:/@*()\\[\\]'=0-9 .$|-]{0,24}") {
            let _ = evaluate(CITIES, &xpath);
        }

        #[test]
        fn never_panics_on_any_document(doc in "[<>/a-z =\"'{}\\[\\]:,0-9]{0,40}") {
            let _ = evaluate(&doc, "/a");
            let _ = top_level_elements(&doc);
        }
    }
}
