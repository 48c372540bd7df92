//! Parser tests: every real-world quirk (real-world-syntax.md §3 and §5) with the AST shape it
//! produces, error messages and hints, recovery, limits, and the script corpus.

use deluge_lang::syntax::ast::*;
use deluge_lang::syntax::{parse, parse_on_threads, ParseOutput};

// ---------------------------------------------------------------------------------------------
// A compact S-expression rendering of the tree, so tests can state the expected shape in one line.

fn path(p: &Path) -> String {
    p.iter().map(|i| &*i.name).collect::<Vec<_>>().join(".")
}

fn list(items: &[Expr]) -> String {
    items.iter().map(expr).collect::<Vec<_>>().join(" ")
}

fn expr(e: &Expr) -> String {
    match &e.kind {
        ExprKind::Null => "null".into(),
        ExprKind::Bool(b) => b.to_string(),
        ExprKind::Number(n) => n.to_string(),
        ExprKind::Decimal(d) => format!("{d}d"),
        ExprKind::Text(t) => format!("{t:?}"),
        ExprKind::SingleQuoted(t) => format!("'{t}'"),
        ExprKind::Path(p) => path(p),
        ExprKind::Call { path: p, args } => format!("(call {} {})", path(p), list(args)),
        ExprKind::MethodCall {
            receiver,
            method,
            args,
        } => format!("(method {} {} {})", expr(receiver), method.name, list(args)),
        ExprKind::Field { object, field } => format!("(field {} {})", expr(object), field.name),
        ExprKind::Unary { op, operand } => format!("({op:?} {})", expr(operand)),
        ExprKind::Binary { op, lhs, rhs } => format!("({op:?} {} {})", expr(lhs), expr(rhs)),
        ExprKind::List(items) => format!("[{}]", list(items)),
        ExprKind::Map(pairs) => format!(
            "{{{}}}",
            pairs
                .iter()
                .map(|(k, v)| format!("{}: {}", expr(k), expr(v)))
                .collect::<Vec<_>>()
                .join(", ")
        ),
        ExprKind::Constructor {
            kind,
            elem_type,
            args,
        } => {
            let ty = elem_type
                .as_ref()
                .map_or(String::new(), |t| format!(":{}", t.name));
            let args: Vec<String> = args
                .iter()
                .map(|a| match a {
                    ConstructorArg::Value(v) => expr(v),
                    ConstructorArg::Pair(k, v) => format!("{}:{}", expr(k), expr(v)),
                })
                .collect();
            format!("({kind:?}{ty} {})", args.join(" "))
        }
        ExprKind::Conditional {
            cond,
            then,
            otherwise,
        } => format!("(if {} {} {})", expr(cond), expr(then), expr(otherwise)),
        ExprKind::Task(t) => task(t),
        ExprKind::Fetch(f) => fetch(f),
    }
}

fn task(t: &Task) -> String {
    let kind = match &t.kind {
        TaskKind::InvokeUrl => "invokeurl".to_owned(),
        TaskKind::InvokeApi => "invokeapi".to_owned(),
        TaskKind::SendMail => "sendmail".to_owned(),
        TaskKind::InsertInto(form) => format!("insert {}", form.name),
    };
    let params: Vec<String> = t
        .params
        .iter()
        .map(|p| match &p.value {
            TaskValue::Expr(v) => format!("[{}] {}", p.key, expr(v)),
            TaskValue::Tagged {
                tag,
                value,
                record,
                format,
            } => {
                let record = record.as_ref().map_or(String::new(), |(form, id)| {
                    format!(":{} {}", form.name, expr(id))
                });
                let format = format
                    .as_ref()
                    .map_or(String::new(), |f| format!(" as {}", f.name));
                format!("[{}] :{}:{}{record}{format}", p.key, tag.name, expr(value))
            }
        })
        .collect();
    format!("({kind} {})", params.join(" "))
}

fn fetch(f: &Fetch) -> String {
    let mut out = format!("(fetch {}", f.form.name);
    if let Some(c) = &f.criteria {
        out += &format!(" {}", expr(c));
    }
    if let Some((field, desc)) = &f.sort_by {
        out += &format!(" sort {}{}", path(field), if *desc { " desc" } else { "" });
    }
    if let Some((a, b)) = &f.range {
        out += &format!(" range {} {}", expr(a), expr(b));
    }
    out + ")"
}

fn block(b: &Block) -> String {
    format!("{{{}}}", b.iter().map(stmt).collect::<Vec<_>>().join(" "))
}

fn stmt(s: &Stmt) -> String {
    match &s.kind {
        StmtKind::Assign { target, op, value } => {
            format!("({op:?} {} {})", path(target), expr(value))
        }
        StmtKind::Expr(e) => expr(e),
        StmtKind::Info(e) => format!("(info {})", expr(e)),
        StmtKind::If {
            branches,
            otherwise,
        } => {
            let mut out = "(if".to_owned();
            for (c, b) in branches {
                out += &format!(" {} {}", expr(c), block(b));
            }
            if let Some(b) = otherwise {
                out += &format!(" else {}", block(b));
            }
            out + ")"
        }
        StmtKind::ForEach {
            var,
            iterable,
            body,
        } => format!("(foreach {} {} {})", var.name, expr(iterable), block(body)),
        StmtKind::ForEachIndex {
            var,
            iterable,
            body,
        } => format!(
            "(foreachindex {} {} {})",
            var.name,
            expr(iterable),
            block(body)
        ),
        StmtKind::Break => "break".into(),
        StmtKind::Continue => "continue".into(),
        StmtKind::Return(None) => "(return)".into(),
        StmtKind::Return(Some(e)) => format!("(return {})", expr(e)),
        StmtKind::Try { body, var, handler } => {
            format!("(try {} {} {})", block(body), var.name, block(handler))
        }
        StmtKind::DeleteFrom(f) => format!("(delete {})", fetch(f)),
        StmtKind::UpdateRecord {
            fetch: f,
            field,
            op,
            value,
        } => format!(
            "(update {} {} {op:?} {})",
            fetch(f),
            path(field),
            expr(value)
        ),
        StmtKind::FormUi { action, fields } => format!(
            "({} {})",
            action.name,
            fields.iter().map(path).collect::<Vec<_>>().join(" ")
        ),
        StmtKind::Alert(e) => format!("(alert {})", expr(e)),
        StmtKind::Cancel(what) => format!("(cancel {})", what.name),
        StmtKind::FieldUi {
            field,
            action,
            args,
        } => format!("(fieldui {} {} {})", path(field), path(action), list(args)),
    }
}

fn function(f: &FunctionDef) -> String {
    let params: Vec<String> = f
        .params
        .iter()
        .map(|p| format!("{} {}", p.ty.name, p.name.name))
        .collect();
    format!(
        "(fn {} {}({}) {})",
        f.return_type.name,
        path(&f.name),
        params.join(", "),
        block(&f.body)
    )
}

/// Parses and asserts there is no error.
fn ok(src: &str) -> ParseOutput {
    let out = parse(src);
    assert!(
        out.errors.is_empty(),
        "unexpected errors in {src:?}: {:#?}",
        out.errors
    );
    out
}

/// The statements of an error-free source, one S-expression each.
fn stmts(src: &str) -> Vec<String> {
    ok(src).program.body.iter().map(stmt).collect()
}

/// The single statement of an error-free source.
fn one(src: &str) -> String {
    let all = stmts(src);
    assert_eq!(all.len(), 1, "{all:?}");
    all.into_iter().next().unwrap_or_default()
}

/// The value assigned by a single `x = <expr>;`.
fn value(src_expr: &str) -> String {
    let out = ok(&format!("x = {src_expr};"));
    match &out.program.body[0].kind {
        StmtKind::Assign { value, .. } => expr(value),
        other => panic!("not an assignment: {other:?}"),
    }
}

// ---------------------------------------------------------------------------------------------
// §5.1 Case-insensitive keywords, types, literals and built-ins.

#[test]
fn quirk_5_1_keywords_types_literals_and_constructors_in_any_case() {
    assert_eq!(
        stmts("lines = list(); m = MAP(); c = Collection(); For each  row in rows { info row; }"),
        vec![
            "(Set lines (List ))",
            "(Set m (Map ))",
            "(Set c (Collection ))",
            "(foreach row rows {(info row)})",
        ]
    );
    assert_eq!(
        one(
            r#"if (flag == TRUE && label.Contains("x") || y != Null) { ok = Isnull(resp.getjson("id")); } ELSE { b = False; }"#
        ),
        r#"(if (Or (And (Eq flag true) (call label.Contains "x")) (Ne y null)) {(Set ok (call Isnull (call resp.getjson "id")))} else {(Set b false)})"#
    );
    let out = ok("String Format.name(string first, INT n, Map m) { RETURN first; }");
    assert_eq!(
        function(&out.program.functions[0]),
        "(fn String Format.name(string first, INT n, Map m) {(return first)})"
    );
}

#[test]
fn quirk_5_1_soft_keywords_stay_usable_as_names() {
    assert_eq!(
        stmts(
            "index = 0; each = 1; info = 2; show = 3; type = 4; input = 5; list = list(); \
             map = Map(); date = today; hide = list.size(); info index + each;"
        ),
        vec![
            "(Set index 0)",
            "(Set each 1)",
            "(Set info 2)",
            "(Set show 3)",
            "(Set type 4)",
            "(Set input 5)",
            "(Set list (List ))",
            "(Set map (Map ))",
            "(Set date today)",
            "(Set hide (call list.size ))",
            "(info (Add index each))",
        ]
    );
    assert_eq!(
        value(r#"{"type": type, "list": list, "index": index}"#),
        r#"{"type": type, "list": list, "index": index}"#
    );
    assert_eq!(
        one("for each index in items { }"),
        "(foreach index items {})"
    );
}

#[test]
fn quirk_5_1_variable_names_keep_their_case() {
    let out = ok("MyVar = 1; myvar = 2;");
    let names: Vec<String> = out
        .program
        .body
        .iter()
        .map(|s| match &s.kind {
            StmtKind::Assign { target, .. } => path(target),
            _ => String::new(),
        })
        .collect();
    assert_eq!(names, vec!["MyVar", "myvar"]);
}

// §5.2 A single `=` means equality inside conditions.
#[test]
fn quirk_5_2_single_equals_is_equality_in_conditions() {
    assert_eq!(one("if (retries = 0) { }"), "(if (Eq retries 0) {})");
    assert_eq!(
        one("if (input.Is_Approved = true) { }"),
        "(if (Eq input.Is_Approved true) {})"
    );
    assert_eq!(
        one(r#"if (code == null || code = "") { }"#),
        r#"(if (Or (Eq code null) (Eq code "")) {})"#
    );
    assert_eq!(value("a = b"), "(Eq a b)");
}

// §5.3 Single quotes are a separate literal; the compiler decides date or text.
#[test]
fn quirk_5_3_single_quoted_strings() {
    assert_eq!(
        stmts(
            "state = 'closed'; pattern = 'yyyy-MM-dd'; fragment = '<item id=\"7\">'; \
             start = '05-Mar-2021 09:30:00';"
        ),
        vec![
            "(Set state 'closed')",
            "(Set pattern 'yyyy-MM-dd')",
            "(Set fragment '<item id=\"7\">')",
            "(Set start '05-Mar-2021 09:30:00')",
        ]
    );
}

// §5.4 Map and list literals.
#[test]
fn quirk_5_4_map_and_list_literals() {
    assert_eq!(
        value(r#"{"name": leadName, "tags": {"vip", "2024"}}"#),
        r#"{"name": leadName, "tags": ["vip" "2024"]}"#
    );
    assert_eq!(
        value(r#"{{"id": 1}, {"id": 2}}"#),
        r#"[{"id": 1} {"id": 2}]"#
    );
    assert_eq!(
        value(r#"{"items": [firstItem, secondItem]}"#),
        r#"{"items": [firstItem secondItem]}"#
    );
    assert_eq!(value("{}"), "{}");
    assert_eq!(value(r#"{"pending"}"#), r#"["pending"]"#);
    assert_eq!(value("{1, 2, 3}"), "[1 2 3]");
    assert_eq!(value("[]"), "[]");
    assert_eq!(value("{a + 1: b}"), "{(Add a 1): b}");
}

#[test]
fn mixed_brace_literal_is_an_error() {
    let out = parse(r#"x = {"a": 1, 2};"#);
    assert_eq!(out.errors.len(), 1);
    assert!(out.errors[0].message.contains("mixes"), "{:?}", out.errors);
}

// §5.5 and §3 Bracket task blocks.
#[test]
fn quirk_5_5_invokeurl_block_with_editor_spacing() {
    let src = r#"resp = invokeurl
[
	url :"https://api.example.com/v1/orders/" + orderId
	type :PUT
	parameters:payload.toString()
	headers:hdrs
	connection:"shop_api"
];"#;
    assert_eq!(
        one(src),
        r#"(Set resp (invokeurl [url] (Add "https://api.example.com/v1/orders/" orderId) [type] PUT [parameters] (call payload.toString ) [headers] hdrs [connection] "shop_api"))"#
    );
}

#[test]
fn quirk_5_5_task_keys_with_dashes_spaces_case_and_commas() {
    let src = r#"r = invokeUrl [ URL: u, TYPE: post, Content-Type: "application/json",
        response-format : JSON  detailed:true ];"#;
    assert_eq!(
        one(src),
        r#"(Set r (invokeurl [url] u [type] post [content-type] "application/json" [response-format] JSON [detailed] true))"#
    );
}

#[test]
fn quirk_5_5_invokeapi_block() {
    let src = "res = invokeapi\n[\n\tservice :zohobilling\n\tpath :\"/customers\"\n\ttype :GET\n\tconnection:\"billing_conn\"\n];";
    assert_eq!(
        one(src),
        r#"(Set res (invokeapi [service] zohobilling [path] "/customers" [type] GET [connection] "billing_conn"))"#
    );
}

#[test]
fn quirk_5_5_sendmail_with_two_word_key_and_tagged_attachment() {
    let src = r#"sendmail
[
	from :zoho.adminuserid
	to :customerEmail
	reply to: "help@example.com"
	subject :"Order " + orderNo + " confirmed"
	message :htmlBody
	content type :HTML
	Attachments :file:invoicePdf
	Attachments :template:orderTemplate as PDF
]"#;
    assert_eq!(
        one(src),
        r#"(sendmail [from] zoho.adminuserid [to] customerEmail [reply to] "help@example.com" [subject] (Add (Add "Order " orderNo) " confirmed") [message] htmlBody [content type] HTML [attachments] :file:invoicePdf [attachments] :template:orderTemplate as PDF)"#
    );
}

#[test]
fn quirk_5_5_task_keys_normalise_case_and_separators() {
    let out = ok("sendmail [ Content   Type : \"text/html\" REPLY\nTo: a ]");
    let StmtKind::Expr(Expr {
        kind: ExprKind::Task(t),
        ..
    }) = &out.program.body[0].kind
    else {
        panic!("not a task");
    };
    let keys: Vec<&str> = t.params.iter().map(|p| &*p.key).collect();
    assert_eq!(keys, vec!["content type", "reply to"]);
}

// §5.6 Creator insert into.
#[test]
fn quirk_5_6_insert_into_as_statement_and_expression() {
    let src = "insert into Order_Lines\n[\n\tAdded_User = zoho.loginuser\n\tOrder_No = input.Order_No\n\tQty = 1\n]\n\
               id = insert into Orders [ Status = \"New\", Total = a + b ];";
    assert_eq!(
        stmts(src),
        vec![
            "(insert Order_Lines [Added_User] zoho.loginuser [Order_No] input.Order_No [Qty] 1)",
            r#"(Set id (insert Orders [Status] "New" [Total] (Add a b)))"#,
        ]
    );
}

#[test]
fn task_blocks_take_an_optional_semicolon() {
    assert_eq!(
        stmts("sendmail [ to: a ]; sendmail [ to: b ] x = 1;").len(),
        3
    );
}

// §5.7 Creator record expressions and form statements.
#[test]
fn quirk_5_7_fetch_with_criteria_sort_and_range() {
    assert_eq!(
        value(r#"Orders[Status == "Open" && Amount > 100]"#),
        r#"(fetch Orders (And (Eq Status "Open") (Gt Amount 100)))"#
    );
    assert_eq!(
        value("Orders[Customer == input.Customer] sort by Created_Time desc"),
        "(fetch Orders (Eq Customer input.Customer) sort Created_Time desc)"
    );
    assert_eq!(
        value(r#"Orders[Status = "Open"] range from 1 to 20"#),
        r#"(fetch Orders (Eq Status "Open") range 1 20)"#
    );
    assert_eq!(
        value("Orders[ID != 0] sort by Added_Time asc range from 1 to n + 1"),
        "(fetch Orders (Ne ID 0) sort Added_Time range 1 (Add n 1))"
    );
    assert_eq!(value("Orders[]"), "(fetch Orders)");
}

#[test]
fn quirk_5_7_fetch_projections_and_iteration() {
    assert_eq!(
        value(r#"Orders[Status == "Open"].ID.getAll()"#),
        r#"(method (field (fetch Orders (Eq Status "Open")) ID) getAll )"#
    );
    assert_eq!(
        value(r#"Orders[Region == "EU"].count()"#),
        r#"(method (fetch Orders (Eq Region "EU")) count )"#
    );
    assert_eq!(
        one(r#"for each  o in Orders[Status == "Open"] { o.Status = "Done"; }"#),
        r#"(foreach o (fetch Orders (Eq Status "Open")) {(Set o.Status "Done")})"#
    );
}

#[test]
fn quirk_5_7_form_statements() {
    assert_eq!(
        stmts(
            r#"delete from Orders[Status == "Void"];
            row.Product:ui.add(productNames);
            input.Notes:ui.append("x", 1);
            hide Discount;
            show Shipping.Address;
            disable Name, Email , Phone;
            Enable Name;
            clear Notes;
            alert "Quantity must be positive";
            cancel submit;
            openUrl(url, "same window");
            input.Total = input.Qty * input.Price;"#
        ),
        vec![
            r#"(delete (fetch Orders (Eq Status "Void")))"#,
            "(fieldui row.Product ui.add productNames)",
            r#"(fieldui input.Notes ui.append "x" 1)"#,
            "(hide Discount)",
            "(show Shipping.Address)",
            "(disable Name Email Phone)",
            "(Enable Name)",
            "(clear Notes)",
            r#"(alert "Quantity must be positive")"#,
            "(cancel submit)",
            r#"(call openUrl url "same window")"#,
            "(Set input.Total (Mul input.Qty input.Price))",
        ]
    );
}

#[test]
fn creator_record_update_assigns_a_field_of_a_fetch() {
    assert_eq!(
        stmts(
            r#"Orders[ID == input.Order].Status = "Closed";
            Orders[ID == id].Qty += 1;
            Orders[ID == id].Address.City = x;"#
        ),
        vec![
            r#"(update (fetch Orders (Eq ID input.Order)) Status Set "Closed")"#,
            "(update (fetch Orders (Eq ID id)) Qty Add 1)",
            "(update (fetch Orders (Eq ID id)) Address.City Set x)",
        ]
    );
}

#[test]
fn quirk_5_7_in_and_not_in_operators() {
    assert_eq!(
        one("if (input.Region in allowedRegions && x not in {1, 2}) { }"),
        "(if (And (In input.Region allowedRegions) (NotIn x [1 2])) {})"
    );
    assert_eq!(value("a + 1 in b"), "(In (Add a 1) b)");
}

// §5.8 if(cond, a, b) as an expression.
#[test]
fn quirk_5_8_if_expression() {
    assert_eq!(
        value(r#"if(qty > 1, "items", "item")"#),
        r#"(if (Gt qty 1) "items" "item")"#
    );
    assert_eq!(
        one(r#"info "n: " + if(a == null, 0, a.size());"#),
        r#"(info (Add "n: " (if (Eq a null) 0 (call a.size ))))"#
    );
    assert_eq!(value("ifnull(a, b)"), "(call ifnull a b)");
    assert_eq!(one("if(a) { }"), "(if a {})");
}

// §5.9 Function headers are optional; definitions mix with top-level statements.
#[test]
fn quirk_5_9_function_headers() {
    let src = r#"
void automation.sync_invoice(String invoiceId, Int attempt)
{
	info invoiceId;
}
x = standalone.format_name("a", "b");
string format_name(string first, string last) { return first + " " + last; }
void Notify.send_receipt(Orders rec) { thisapp.Notify.send_receipt(rec); }
map noArgs() { return Map(); }
"#;
    let out = ok(src);
    let fns: Vec<String> = out.program.functions.iter().map(function).collect();
    assert_eq!(
        fns,
        vec![
            "(fn void automation.sync_invoice(String invoiceId, Int attempt) {(info invoiceId)})",
            r#"(fn string format_name(string first, string last) {(return (Add (Add first " ") last))})"#,
            "(fn void Notify.send_receipt(Orders rec) {(call thisapp.Notify.send_receipt rec)})",
            "(fn map noArgs() {(return (Map ))})",
        ]
    );
    assert_eq!(out.program.body.len(), 1);
    assert_eq!(
        stmt(&out.program.body[0]),
        r#"(Set x (call standalone.format_name "a" "b"))"#
    );
}

// §5.10 Semicolons are required; a missing one is reported and parsing continues.
#[test]
fn quirk_5_10_missing_semicolon_is_reported_and_parsing_goes_on() {
    let out = parse("a = 1\nb = 2;\ninfo a");
    assert_eq!(out.program.body.len(), 3);
    assert_eq!(out.errors.len(), 2, "{:#?}", out.errors);
    assert_eq!(out.errors[0].message, "Expecting ';' but found 'b'");
    assert_eq!(out.errors[0].span.start, 5);
    assert_eq!(out.errors[0].expected, vec!["';'"]);
    assert_eq!(out.errors[1].message, "Expecting ';' but found '<EOF>'");
}

// §5.11 Editor formatting and free formatting.
#[test]
fn quirk_5_11_allman_and_free_formatting() {
    let allman = "for each  item in items\n{\n\ttry \n\t{\n\t\ttotal = total + item.get(\"qty\");\n\t}\n\tcatch (e)\n\t{\n\t\tinfo e;\n\t}\n}";
    let compact = "for each item in items {try{total=total+item.get(\"qty\");}catch(e){info e;}}";
    let expected = r#"(foreach item items {(try {(Set total (Add total (call item.get "qty")))} e {(info e)})})"#;
    assert_eq!(one(allman), expected);
    assert_eq!(one(compact), expected);
    assert_eq!(
        one("if(a){b=1;}else if (c) {b=2;} else{b=3;}"),
        "(if a {(Set b 1)} c {(Set b 2)} else {(Set b 3)})"
    );
    assert_eq!(
        one("if (a)\n{\n}\nelse if (b)\n{\n}\nelse\n{\n}"),
        "(if a {} b {} else {})"
    );
}

// §5.12 Strings and operators.
#[test]
fn quirk_5_12_continued_lines_compound_assignment_and_precedence() {
    assert_eq!(
        one("msg = \"Dear \" + name\n\t+ \", your order \" + orderNo\n\t+ \" has shipped.\";"),
        r#"(Set msg (Add (Add (Add (Add "Dear " name) ", your order ") orderNo) " has shipped."))"#
    );
    assert_eq!(
        stmts("a += 1; a -= 2; a *= 3; a /= 4; a %= 5;"),
        vec![
            "(Add a 1)",
            "(Sub a 2)",
            "(Mul a 3)",
            "(Div a 4)",
            "(Rem a 5)"
        ]
    );
    assert_eq!(
        value("a || b && c == d < e + f * -g"),
        "(Or a (And b (Eq c (Lt d (Add e (Mul f (Neg g)))))))"
    );
    assert_eq!(
        value("!a.isEmpty() && !(b)"),
        "(And (Not (call a.isEmpty )) (Not b))"
    );
    assert_eq!(value("a - b - c"), "(Sub (Sub a b) c)");
    assert_eq!(value("10 % 3 / 2"), "(Div (Rem 10 3) 2)");
}

#[test]
fn escapes_in_double_quoted_strings() {
    assert_eq!(
        value(r#""a\"b\\c\/d\n\t\u00e9\q""#),
        format!("{:?}", "a\"b\\c/d\n\té\\q")
    );
}

// §5.13 64-bit integers.
#[test]
fn quirk_5_13_nineteen_digit_integers_and_decimals() {
    assert_eq!(
        value(r#"zoho.crm.getRecordById("Deals", 4876876000001234567)"#),
        r#"(call zoho.crm.getRecordById "Deals" 4876876000001234567)"#
    );
    assert_eq!(value("9223372036854775807"), "9223372036854775807");
    assert_eq!(value("1.50"), "1.50d");
    assert_eq!(value("-0.25"), "(Neg 0.25d)");
    assert_eq!(value("5.toDecimal()"), "(method 5 toDecimal )");
}

#[test]
fn integer_too_big_is_an_error_with_hint() {
    let out = parse("x = 9223372036854775808;");
    assert_eq!(out.errors.len(), 1);
    assert!(out.errors[0].message.starts_with("Number too big"));
    assert!(out.errors[0]
        .hint
        .as_deref()
        .unwrap_or("")
        .contains("decimal"));
}

// §5.14 Loops: for each and for each index; no while, no finally.
#[test]
fn quirk_5_14_counted_loops_with_for_each() {
    assert_eq!(
        stmts(
            r#"for each  tick in "".leftpad(50).toList("") { continue; }
            for each  n in {1, 2, 3} { break; }
            for each index i in items { info i; }
            For Each Index j in items { }"#
        ),
        vec![
            r#"(foreach tick (method (method "" leftpad 50) toList "") {continue})"#,
            "(foreach n [1 2 3] {break})",
            "(foreachindex i items {(info i)})",
            "(foreachindex j items {})",
        ]
    );
}

#[test]
fn quirk_5_14_while_and_finally_are_errors_with_hints() {
    let out =
        parse("while (x < 3) { x = x + 1; }\ntry { a = 1; } catch (e) { } finally { b = 1; }");
    assert_eq!(out.errors.len(), 2, "{:#?}", out.errors);
    assert!(out.errors[0]
        .hint
        .as_deref()
        .unwrap_or("")
        .contains("no while loop"));
    assert!(out.errors[1]
        .hint
        .as_deref()
        .unwrap_or("")
        .contains("no finally"));
    assert_eq!(out.program.body.len(), 1, "the try statement is kept");
}

// §5.15 zoho.* system values, today and now.
#[test]
fn quirk_5_15_system_values_today_and_now() {
    assert_eq!(
        stmts(
            r#"due = zoho.currentdate.addDay(14).toString("dd-MM-yyyy");
            if (today > input.Deadline) { }
            stamp = now;
            u = zoho.loginuser;"#
        ),
        vec![
            r#"(Set due (method (call zoho.currentdate.addDay 14) toString "dd-MM-yyyy"))"#,
            "(if (Gt today input.Deadline) {})",
            "(Set stamp now)",
            "(Set u zoho.loginuser)",
        ]
    );
}

// ---------------------------------------------------------------------------------------------
// Other statements and expressions.

#[test]
fn returns_try_catch_and_expression_statements() {
    assert_eq!(
        stmts(
            "return; return a + 1; m.put(\"k\", v); f(); try { } catch (err) { info err.message; }"
        ),
        vec![
            "(return)",
            "(return (Add a 1))",
            r#"(call m.put "k" v)"#,
            "(call f )",
            "(try {} err {(info err.message)})",
        ]
    );
}

#[test]
fn method_chains_on_calls_fields_and_literals() {
    assert_eq!(
        value(r#"resp.get("a").get(0).get("b").toString()"#),
        r#"(method (method (method (call resp.get "a") get 0) get "b") toString )"#
    );
    assert_eq!(
        value(r#"m.get("a").Name"#),
        r#"(field (call m.get "a") Name)"#
    );
    assert_eq!(value(r#""abc".length()"#), r#"(method "abc" length )"#);
    assert_eq!(value("(a + b).toString()"), "(method (Add a b) toString )");
    assert_eq!(value("List:String({\"a\"})"), r#"(List:String ["a"])"#);
    assert_eq!(
        value(r#"Collection("a": 1, "b": 2)"#),
        r#"(Collection "a":1 "b":2)"#
    );
}

#[test]
fn pair_arguments_become_one_map_argument() {
    assert_eq!(
        value(r#"c.insert("a": 1, "b": 2)"#),
        r#"(call c.insert {"a": 1, "b": 2})"#
    );
    assert_eq!(value(r#"f(x, "k": v, y)"#), r#"(call f x {"k": v} y)"#);
}

#[test]
fn spans_point_at_the_source() {
    let src = "x = foo(1) + bar;";
    let out = ok(src);
    let s = &out.program.body[0];
    assert_eq!((s.span.start, s.span.end), (0, 17));
    let StmtKind::Assign { value, target, .. } = &s.kind else {
        panic!()
    };
    assert_eq!(&src[value.span.range()], "foo(1) + bar");
    assert_eq!(&src[target[0].span.range()], "x");
}

// ---------------------------------------------------------------------------------------------
// Errors: messages, hints, and recovery.

/// The errors of `src` as `(line, message, hint)`.
fn errors(src: &str) -> Vec<(u32, String, String)> {
    parse(src)
        .errors
        .iter()
        .map(|e| {
            let at = deluge_lang::syntax::span::line_col(src, e.span.start);
            (
                at.line,
                e.message.clone(),
                e.hint.clone().unwrap_or_default(),
            )
        })
        .collect()
}

#[test]
fn ternary_operator_gets_the_if_hint() {
    let errs = errors("label = qty > 1 ? \"items\" : \"item\";");
    assert_eq!(errs.len(), 1, "{errs:?}");
    assert_eq!(errs[0].1, "Unexpected token found '?'");
    assert_eq!(
        errs[0].2,
        "Deluge has no ?: operator; use if(condition, a, b)"
    );
}

#[test]
fn increment_operators_get_a_hint() {
    let errs = errors("i++;\nj--;");
    assert_eq!(errs.len(), 2, "{errs:?}");
    assert_eq!(errs[0].1, "Unexpected token found '++'");
    assert_eq!(errs[0].2, "Deluge has no ++ operator; use x = x + 1");
    assert_eq!(errs[1].2, "Deluge has no -- operator; use x = x - 1");
}

#[test]
fn while_loop_gets_a_hint() {
    let errs = errors("while (i < 10)\n{\n\ti = i + 1;\n}\ninfo i;");
    assert_eq!(errs.len(), 1, "{errs:?}");
    assert_eq!(errs[0].1, "Unexpected token found 'while'");
    assert_eq!(
        errs[0].2,
        "Deluge has no while loop; iterate a list with for each"
    );
}

#[test]
fn unclosed_block_reports_like_zoho_and_names_the_open_brace() {
    let src = "if (a)\n{\n\tb = 1;\n";
    let out = parse(src);
    assert_eq!(out.errors.len(), 1, "{:#?}", out.errors);
    let e = &out.errors[0];
    assert_eq!(e.message, "Expecting '}' but found '<EOF>'");
    assert_eq!(e.span.start as usize, src.len());
    assert_eq!(
        e.hint.as_deref(),
        Some("the '{' on line 2 column 1 is never closed; add a matching '}'")
    );
    assert_eq!(out.program.body.len(), 1, "the if statement is kept");
}

#[test]
fn errors_inside_an_unclosed_block_are_reported_too() {
    let errs = errors("for each x in y {\n  a = ;\n  b = 2;\n");
    assert_eq!(errs.len(), 2, "{errs:?}");
    assert_eq!(errs[0].0, 2);
    assert_eq!(errs[1].1, "Expecting '}' but found '<EOF>'");
}

#[test]
fn unterminated_comment_and_string() {
    let errs = errors("a = 1;\n/* note\nb = 2;");
    assert_eq!(errs.len(), 1, "{errs:?}");
    assert_eq!(errs[0].1, "Comment Task is not closed properly");
    assert_eq!(errs[0].0, 2);
    let errs = errors("a = \"open;\nb = 2;");
    assert_eq!(errs.len(), 1, "{errs:?}");
    assert_eq!(errs[0].1, "String is not closed properly");
    assert_eq!(errs[0].0, 1);
}

#[test]
fn curly_quotes_and_stray_characters() {
    let errs = errors("a = \u{201c}hello\u{201d};\nb = 1 # 2;");
    assert_eq!(errs.len(), 2, "{errs:?}");
    assert_eq!(errs[0].1, "Unexpected character '\u{201c}'");
    assert!(errs[0].2.contains("straight quotes"));
    assert_eq!(errs[1].0, 2);
    assert_eq!(errs[1].1, "Unexpected character '#'");
}

#[test]
fn stray_closing_brace_at_top_level() {
    let out = parse("a = 1;\n}\nb = 2;");
    assert_eq!(out.errors.len(), 1);
    assert_eq!(out.errors[0].message, "Unexpected token found '}'");
    assert_eq!(out.program.body.len(), 2);
}

#[test]
fn missing_expression_reports_what_was_expected() {
    let out = parse("x = ;");
    assert_eq!(out.errors.len(), 1);
    let e = &out.errors[0];
    assert_eq!(e.message, "Expecting an expression but found ';'");
    assert_eq!(e.expected, vec!["an expression"]);
    assert_eq!(e.found.as_deref(), Some("';'"));
    assert_eq!((e.span.start, e.span.end), (4, 5));
}

#[test]
fn every_independent_error_in_a_file_is_reported() {
    let src = r#"void automation.run(String id)
{
	a = 1 ? 2 : 3;
	if (a > 1)
	{
		b = a +;
	}
	for each  r in rows
	{
		c = r.get("x") ++ 1;
		info r;
	}
	while (true) { }
	try
	{
		d = 1;
	}
	catch (e)
	{
		info e;
	}
	finally
	{
		info "done";
	}
	ok = "fine";
}
x = 99999999999999999999;
y = {"a": 1, 2};
z = 1
info z;
"#;
    let errs = errors(src);
    let lines: Vec<u32> = errs.iter().map(|e| e.0).collect();
    assert_eq!(lines, vec![3, 6, 10, 13, 22, 28, 29, 30], "{errs:#?}");
    let out = parse(src);
    assert_eq!(out.program.functions.len(), 1);
    let body = &out.program.functions[0].body;
    assert!(body
        .iter()
        .any(|s| matches!(&s.kind, StmtKind::Assign { target, .. } if &*target[0].name == "ok")));
    assert_eq!(out.program.body.len(), 4);
}

#[test]
fn rendered_errors_name_file_line_column_and_hint() {
    let src = "a = 1;\nb = a ? 1 : 2;\n";
    let out = parse(src);
    let text =
        deluge_lang::syntax::diagnostics::render_syntax_errors("t.dg", src, &out.errors, false);
    assert!(text.contains("t.dg:2:7"), "{text}");
    assert!(text.contains("b = a ? 1 : 2;"), "{text}");
    assert!(text.contains("Deluge has no ?: operator"), "{text}");
}

// ---------------------------------------------------------------------------------------------
// Limits: nesting and size never crash.

#[test]
fn ten_thousand_nested_brackets_give_a_clean_error() {
    for (open, close) in [("(", ")"), ("[", "]"), ("{", "}")] {
        let src = format!("x = {}1{};", open.repeat(10_000), close.repeat(10_000));
        let out = parse(&src);
        assert_eq!(out.errors.len(), 1, "{open}");
        assert_eq!(
            out.errors[0].message,
            "Nesting too deep (more than 256 levels)"
        );
    }
    let blocks = "if (a) {".repeat(10_000) + &"}".repeat(10_000);
    assert_eq!(parse(&blocks).errors.len(), 1);
    let unary = format!("x = {}a;", "!".repeat(10_000));
    assert_eq!(parse(&unary).errors.len(), 1);
    let minus = format!("x = {}a;", "- ".repeat(10_000));
    assert_eq!(parse(&minus).errors.len(), 1);
}

#[test]
fn deep_but_allowed_nesting_parses() {
    let src = format!("x = {}1{};", "(".repeat(250), ")".repeat(250));
    assert_eq!(one(&src), "(Set x 1)");
    let blocks = "if (a) {".repeat(120) + &"}".repeat(120);
    ok(&blocks);
    let lists = format!("x = {}{};", "{".repeat(200), "}".repeat(200));
    ok(&lists);
}

/// A constructor that fails is read again as a name (and `list:T(..)` as `list` then the pair
/// `: T(..)`), whose call reads the same argument list. Both parsers remember where a list
/// failed; before that, each level doubled the work, so 40 levels would take days.
/// At the nesting limit, clean and broken, they fit a test thread's stack (2 MiB, debug build).
#[test]
fn nested_constructors_with_an_error_inside_are_read_once() {
    for (open, opened) in [
        ("List(", 1),
        ("Map(", 1),
        ("list:T(", 1),
        ("collection:T(\"k\": ", 1),
        ("f(list:T(", 2),
    ] {
        let levels = 250 / opened;
        let broken = format!("x = {}a", open.repeat(levels));
        let out = parse(&broken);
        assert_eq!(out.errors.len(), 1, "{open}");
        assert!(out.errors[0].message.contains("end of input"), "{open}");
        let clean = format!(
            "x = {}a{};",
            open.repeat(levels),
            ")".repeat(levels * opened)
        );
        assert!(parse(&clean).errors.is_empty(), "{open}");
    }
}

#[test]
fn very_long_operator_chains_are_bounded() {
    let ok_chain = format!("x = a{};", " + a".repeat(2000));
    assert!(parse(&ok_chain).errors.is_empty());
    let too_long = format!("x = a{};", " + a".repeat(100_000));
    let out = parse(&too_long);
    assert_eq!(out.errors.len(), 1);
    assert!(out.errors[0].message.starts_with("Expression too long"));
}

// ---------------------------------------------------------------------------------------------
// The corpus, and robustness on every file under tests/.

/// Every file under `dir` (none when it does not exist).
fn files_under(dir: &std::path::Path, out: &mut Vec<std::path::PathBuf>) {
    let files = walkdir::WalkDir::new(dir).into_iter().flatten();
    out.extend(
        files
            .map(walkdir::DirEntry::into_path)
            .filter(|path| path.is_file()),
    );
}

fn corpus() -> Vec<(String, String)> {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/corpus");
    let mut files = Vec::new();
    files_under(&dir, &mut files);
    files.sort();
    files
        .into_iter()
        .filter(|p| p.extension().is_some_and(|e| e == "dg"))
        .map(|p| {
            let src = std::fs::read_to_string(&p).unwrap_or_default();
            (p.display().to_string(), src)
        })
        .collect()
}

#[test]
fn every_corpus_script_parses_without_errors() {
    let scripts = corpus();
    assert!(scripts.len() >= 25, "only {} corpus scripts", scripts.len());
    for (name, src) in &scripts {
        let out = parse(src);
        if !out.errors.is_empty() {
            let report = deluge_lang::syntax::diagnostics::render_syntax_errors(
                name,
                src,
                &out.errors,
                false,
            );
            panic!("{name} has syntax errors:\n{report}");
        }
        assert!(
            !out.program.body.is_empty() || !out.program.functions.is_empty(),
            "{name} parsed to nothing"
        );
    }
}

#[test]
fn no_file_under_tests_makes_the_parser_panic() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    files_under(&root.join("tests"), &mut files);
    files_under(&root.join("dlg/tests"), &mut files);
    assert!(!files.is_empty());
    for path in files {
        let bytes = std::fs::read(&path).unwrap_or_default();
        let src = String::from_utf8_lossy(&bytes);
        let _ = parse(&src);
    }
}

#[test]
fn every_prefix_of_corpus_scripts_parses_without_panicking() {
    for (_, src) in corpus().iter().take(6) {
        let cuts = src.char_indices().map(|(i, _)| i).step_by(7);
        for cut in cuts {
            let out = parse(&src[..cut]);
            for e in &out.errors {
                assert!(e.span.start <= e.span.end && e.span.end as usize <= cut);
            }
        }
    }
}

/// The corpus scripts one after another, `copies` times: a script of many top-level
/// functions and statements, long enough for `parse_on_threads` to cut.
fn corpus_repeated(copies: usize) -> String {
    let corpus: String = corpus().into_iter().map(|(_, src)| src + "\n").collect();
    corpus.repeat(copies)
}

#[test]
fn a_large_script_parsed_on_threads_gives_the_same_program() {
    let src = corpus_repeated(20);
    assert!(
        src.lines().count() > 20_000,
        "{} lines",
        src.lines().count()
    );
    let alone = parse(&src);
    assert!(alone.errors.is_empty(), "{:?}", alone.errors);
    assert!(alone.program.functions.len() > 100);
    for threads in [2, 4, 16] {
        assert!(
            parse_on_threads(&src, threads) == alone,
            "{threads} threads"
        );
    }
}

#[test]
fn a_large_script_with_an_error_parsed_on_threads_reports_the_same_errors() {
    let src = corpus_repeated(20);
    for at in [src.len() / 10, src.len() / 2, src.len() - 10] {
        let line_start = src[..at].rfind('\n').map_or(0, |i| i + 1);
        let broken = format!("{}x = ;\n{}", &src[..line_start], &src[line_start..]);
        let alone = parse(&broken);
        assert!(!alone.errors.is_empty());
        assert!(parse_on_threads(&broken, 4) == alone, "error at byte {at}");
    }
}

/// Parse speed over the corpus: `cargo test --release --test parser parse_speed -- --ignored --nocapture`.
#[test]
#[ignore = "a measurement, run on demand in release mode"]
fn parse_speed() {
    let scripts = corpus();
    let lines: usize = scripts.iter().map(|(_, s)| s.lines().count()).sum();
    let started = std::time::Instant::now();
    let mut rounds = 0usize;
    while started.elapsed() < std::time::Duration::from_secs(3) {
        for (_, src) in &scripts {
            let out = parse(src);
            assert!(out.errors.is_empty());
        }
        rounds += 1;
    }
    let seconds = started.elapsed().as_secs_f64();
    let total_lines = (lines * rounds) as f64;
    println!(
        "parsed {} lines in {seconds:.2}s: {:.0} lines/s",
        lines * rounds,
        total_lines / seconds
    );
}

#[test]
#[ignore = "a measurement, run on demand in release mode"]
fn parser_construction_cost() {
    let started = std::time::Instant::now();
    let n = 2000;
    for _ in 0..n {
        assert!(parse("x = 1;").errors.is_empty());
    }
    println!(
        "one tiny parse: {:.1} µs",
        started.elapsed().as_secs_f64() * 1e6 / n as f64
    );
}

mod fuzz {
    use super::parse;
    use proptest::prelude::*;

    const PIECES: &[&str] = &[
        "x",
        "input.F",
        "Orders",
        "if",
        "else",
        "for each",
        "index",
        "in",
        "not",
        "(",
        ")",
        "{",
        "}",
        "[",
        "]",
        ",",
        ";",
        ":",
        ".",
        "=",
        "==",
        "+",
        "-",
        "!",
        "?",
        "++",
        "&&",
        "||",
        "1",
        "99999999999999999999",
        "1.5",
        "\"s\"",
        "'q'",
        "\"open",
        "/*",
        "*/",
        "//c\n",
        "\n",
        "invokeurl",
        "sendmail",
        "insert into",
        "delete from",
        "hide",
        "info",
        "return",
        "try",
        "catch",
        "finally",
        "while",
        "List()",
        "Map()",
        "sort by",
        "range from",
        "to",
        "é",
        "\u{201c}",
    ];

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(400))]
        #[test]
        fn token_soup_never_panics(picks in proptest::collection::vec(0..PIECES.len(), 0..60)) {
            let src: String = picks.iter().map(|&i| PIECES[i]).collect::<Vec<_>>().join(" ");
            let out = parse(&src);
            for e in &out.errors {
                prop_assert!(e.span.start <= e.span.end);
                prop_assert!(e.span.end as usize <= src.len());
                prop_assert!(src.is_char_boundary(e.span.start as usize));
                prop_assert!(!e.message.is_empty());
            }
        }
    }
}

#[test]
fn recovery_after_unclosed_parentheses_and_literals() {
    let src = r#"if (a > 1 { b = 1; }
x = foo(1, 2;
y = {"a": 1;
m.put("k" "v");
for each in list { }
z = invokeurl [ url: "x" type GET ];
info "a" + ;
else { c = 1; }
ok = 1;
"#;
    let errs = errors(src);
    let lines: Vec<u32> = errs.iter().map(|e| e.0).collect();
    assert_eq!(lines, vec![1, 2, 3, 4, 5, 6, 7, 8], "{errs:#?}");
    assert_eq!(errs[0].1, "Expecting ')' but found '{'");
    assert_eq!(errs[2].1, "Expecting '}' but found ';'");
    assert_eq!(errs[6].1, "Expecting an expression but found ';'");
    assert!(errs[7].2.contains("'else' must directly follow"));
    let out = parse(src);
    assert_eq!(out.program.body.len(), 1, "only `ok = 1;` survives");
}

#[test]
fn the_grammar_file_names_every_parser_function() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let ebnf = std::fs::read_to_string(root.join("grammar/deluge.ebnf")).unwrap_or_default();
    let dir = root.join("src/syntax/parser");
    let mut missing = Vec::new();
    let mut files = Vec::new();
    files_under(&dir, &mut files);
    for file in files {
        let module = file
            .file_stem()
            .and_then(|s| s.to_str())
            .unwrap_or("")
            .to_owned();
        let text = std::fs::read_to_string(&file).unwrap_or_default();
        for line in text.lines() {
            let line = line.trim_start().trim_start_matches("pub ");
            let Some(rest) = line.strip_prefix("fn ") else {
                continue;
            };
            let name = rest.split(['<', '(']).next().unwrap_or("");
            let returns_parser = text
                .split(&format!("fn {name}<"))
                .nth(1)
                .and_then(|after| after.split('{').next())
                .is_some_and(|signature| signature.contains("-> P<"));
            if returns_parser && !ebnf.contains(&format!("{module}::{name}")) {
                missing.push(format!("{module}::{name}"));
            }
        }
    }
    assert!(
        missing.is_empty(),
        "grammar/deluge.ebnf does not mention {missing:?}"
    );
}

#[test]
fn minus_minus_between_operands_subtracts_a_negation() {
    assert_eq!(value("a--b"), "(Sub a (Neg b))");
    assert_eq!(value("5--3"), "(Sub 5 (Neg 3))");
    let errs = errors("x--;");
    assert!(errs[0].2.contains("no -- operator"), "{errs:?}");
}

#[test]
fn the_smallest_number_literal_parses() {
    assert_eq!(value("-9223372036854775808"), "-9223372036854775808");
    assert_eq!(value("{-9223372036854775808}"), "[-9223372036854775808]");
    let errs = errors("x = 9223372036854775808;");
    assert!(errs[0].1.starts_with("Number too big"), "{errs:?}");
}

#[test]
fn bodies_without_braces_are_an_error_with_a_hint() {
    for src in [
        "if (x > 2) info x;",
        "if (x) { } else info x;",
        "for each i in list info i;",
        "for each i in list return;",
    ] {
        let errs = errors(src);
        assert!(
            errs[0].1.starts_with("Expecting '{' but found '")
                || errs[0].1 == "Unexpected token found 'else'",
            "{src}: {errs:?}"
        );
        assert!(errs[0].2.contains("needs braces"), "{src}: {errs:?}");
    }
}

// ---------------------------------------------------------------------------------------------
// Issue 18, point 5: the last syntax real files use.

#[test]
fn a_decimal_literal_may_leave_out_its_leading_zero() {
    assert_eq!(value("amount * .1"), "(Mul amount 0.1d)");
    assert_eq!(value(".25 + 1.5"), "(Add 0.25d 1.5d)");
    assert_eq!(value("-.5"), "(Neg 0.5d)");
    assert_eq!(value("m.get(\"a\")"), r#"(call m.get "a")"#);
}

#[test]
fn sendmail_recipients_may_be_a_comma_separated_list() {
    let src = r#"sendmail
[
    from: zoho.adminuserid
    to: zoho.adminuserid, rec.get("Email")
    cc: "a@x.com", "b@x.com",
    bcc: "c@x.com"
    reply to: "r@x.com", "s@x.com"
    subject: "Hi", message: "Body"
]"#;
    assert_eq!(
        one(src),
        r#"(sendmail [from] zoho.adminuserid [to] [zoho.adminuserid (call rec.get "Email")] [cc] ["a@x.com" "b@x.com"] [bcc] "c@x.com" [reply to] ["r@x.com" "s@x.com"] [subject] "Hi" [message] "Body")"#
    );
}

#[test]
fn a_comma_separated_list_after_another_key_is_an_error_with_a_hint() {
    let errs = errors("r = invokeurl [ url: a, \"b\" type: GET ];");
    assert_eq!(errs.len(), 1, "{errs:?}");
    assert_eq!(
        errs[0].1,
        "`url:` takes one value, not a comma-separated list"
    );
    assert!(
        errs[0].2.contains("only to, cc, bcc and reply to"),
        "{errs:?}"
    );
}

#[test]
fn sendmail_attaches_a_creator_record_template_in_any_keyword_case() {
    let src = "sendmail [ to: a attachments: template: Invoice_PDF: Invoice recId as PDF \
               Attachments :Template:Summary:Orders input.ID AS pdf ]";
    assert_eq!(
        one(src),
        "(sendmail [to] a [attachments] :template:Invoice_PDF:Invoice recId as PDF [attachments] :Template:Summary:Orders input.ID as pdf)"
    );
}

#[test]
fn creator_invoke_url_function_form_is_a_call() {
    assert_eq!(
        value(r#"invokeUrl(url, "POST", params, headers, false)"#),
        r#"(call invokeUrl url "POST" params headers false)"#
    );
    assert_eq!(
        value(r#"INVOKEURL("https://x.test", "GET").get("a")"#),
        r#"(method (call invokeUrl "https://x.test" "GET") get "a")"#
    );
    assert_eq!(
        value("invokeurl [ url: u ]"),
        "(invokeurl [url] u)",
        "the block form is unchanged"
    );
}

#[test]
fn a_doubled_semicolon_is_an_empty_statement() {
    assert_eq!(
        stmts("x = 1;; ; info x;;\nif (x) { y = 2;; };"),
        vec!["(Set x 1)", "(info x)", "(if x {(Set y 2)})"]
    );
}

#[test]
fn a_non_breaking_space_is_whitespace_outside_strings() {
    assert_eq!(
        stmts("x\u{a0}=\u{a0}\"a\u{a0}b\";\u{a0}\u{a0}info\u{a0}x;"),
        vec!["(Set x \"a\\u{a0}b\")", "(info x)"]
    );
}
