//! The deprecated HTTP functions `getUrl`, `postUrl` and Creator's `invokeUrl(..)` function form
//! (implemented in `crate::http::legacy`).

use super::registry::{Builtin, Receiver};
use crate::http::legacy;

/// `getUrl`, `postUrl` and `invokeUrl(..)`.
pub static BUILTINS: &[Builtin] = &[
    Builtin {
        name: "getUrl",
        receiver: Receiver::None,
        params: "(url: TEXT[, headers: KEY-VALUE][, simple: BOOLEAN])",
        returns: "TEXT | KEY-VALUE",
        arity: (1, 3),
        summary: "GET a URL; the body as TEXT, or {responseCode, responseHeader, responseText} when simple is false (deprecated: use invokeurl)",
        func: legacy::get_url,
    },
    Builtin {
        name: "postUrl",
        receiver: Receiver::None,
        params: "(url: TEXT, body: KEY-VALUE | TEXT[, headers: KEY-VALUE][, simple: BOOLEAN])",
        returns: "TEXT | KEY-VALUE",
        arity: (2, 4),
        summary: "POST a form (KEY-VALUE) or raw TEXT; the body as TEXT, or {responseCode, responseHeader, responseText} when simple is false (deprecated: use invokeurl)",
        func: legacy::post_url,
    },
    Builtin {
        name: "invokeUrl",
        receiver: Receiver::None,
        params: "(url: TEXT, type: TEXT[, body: KEY-VALUE | TEXT][, headers: KEY-VALUE][, simple: BOOLEAN])",
        returns: "TEXT | KEY-VALUE",
        arity: (2, 5),
        summary: "Creator's function form of invokeurl: the body as TEXT, or {responseCode, responseHeader, responseText} when simple is false (deprecated: use invokeurl [..])",
        func: legacy::invoke_url_function,
    },
];
