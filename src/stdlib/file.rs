//! FILE values made and labelled by scripts: `text.toFile(name)` and `file.setParamName(name)`
//! (the multipart field a file is uploaded under by `invokeurl`).

use std::rc::Rc;

use crate::eval::context::NativeCtx;
use crate::eval::value::{FileValue, Value, ValueType};

use crate::eval::args::Args;
use super::registry::{builtin, Builtin, NativeResult, Receiver};

/// The FILE built-ins.
pub static BUILTINS: &[Builtin] = &[
    builtin!("toFile", Receiver::Type(ValueType::Text), "(name: TEXT)", "FILE", (1, 1), text_to_file, "A FILE named `name` holding the text as UTF-8; its content type follows the name's extension."),
    builtin!("setParamName", Receiver::Type(ValueType::File), "(name: TEXT)", "FILE", (1, 1), set_param_name, "Sets the multipart field name the file is uploaded under by invokeurl (default `file`); returns the file."),
];

fn text_to_file(_: &mut NativeCtx<'_>, a: Args<'_>) -> NativeResult {
    let text = a.text(0)?;
    let name = a.text(1)?;
    if name.trim().is_empty() {
        return Err((a.error("the file name is empty")).into());
    }
    Ok(Value::File(Rc::new(FileValue {
        name: name.to_owned(),
        content_type: Some(content_type_of(name).to_owned()),
        charset: Some("UTF-8".to_owned()),
        bytes: text.as_bytes().to_vec(),
        ..FileValue::default()
    })))
}

fn set_param_name(_: &mut NativeCtx<'_>, a: Args<'_>) -> NativeResult {
    let Value::File(file) = a.get(0) else {
        return Err(a.mismatch().into());
    };
    let name = a.text(1)?;
    if name.trim().is_empty() {
        return Err((a.error("the parameter name is empty")).into());
    }
    *file.param_name.borrow_mut() = Some(name.to_owned());
    Ok(Value::File(Rc::clone(file)))
}

/// The content type for a file name's extension (text types carry no charset here); also
/// the type of a mail attachment whose FILE has none.
pub fn content_type_of(name: &str) -> &'static str {
    let extension = name
        .rsplit_once('.')
        .map_or("", |(_, e)| e)
        .to_ascii_lowercase();
    match extension.as_str() {
        "csv" => "text/csv",
        "txt" | "log" => "text/plain",
        "html" | "htm" => "text/html",
        "json" => "application/json",
        "xml" => "application/xml",
        "js" => "text/javascript",
        "md" => "text/markdown",
        _ => "application/octet-stream",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::stdlib::testing::call;

    #[test]
    fn text_becomes_a_named_file_with_a_content_type() {
        let file = call(
            text_to_file,
            &[Value::text("a,b\n1,2"), Value::text("r.csv")],
        )
        .unwrap();
        let Value::File(f) = file else {
            panic!("not a file")
        };
        assert_eq!(f.name, "r.csv");
        assert_eq!(f.content_type.as_deref(), Some("text/csv"));
        assert_eq!(f.bytes, b"a,b\n1,2");
        let err = call(text_to_file, &[Value::text("x"), Value::text(" ")]).unwrap_err();
        assert_eq!(err, "toFile: the file name is empty");
        assert_eq!(content_type_of("data.BIN"), "application/octet-stream");
    }

    #[test]
    fn set_param_name_labels_the_same_file() {
        let file = call(text_to_file, &[Value::text("x"), Value::text("a.txt")]).unwrap();
        let same = call(set_param_name, &[file.clone(), Value::text("document")]).unwrap();
        let (Value::File(a), Value::File(b)) = (&file, &same) else {
            panic!("not files")
        };
        assert!(Rc::ptr_eq(a, b));
        assert_eq!(a.param_name.borrow().as_deref(), Some("document"));
        let err = call(set_param_name, &[file, Value::Number(1)]).unwrap_err();
        assert_eq!(err, "setParamName expects (TEXT) but got (NUMBER)");
    }
}
