//! Zoho integration tasks run for real (zoho-tasks.md): `zoho.crm.*`, `zoho.crm.v8.*`,
//! `zoho.books.*`, `zoho.inventory.*`, `zoho.creator.*`, `zoho.creator.v2_1.*` and
//! `zoho.desk.*` become the REST call each wraps, signed by a named connection and sent
//! through the same path as `invokeurl`; the reply becomes the value Zoho's task gives.
//!
//! [`ZohoHost`] is a host layer: it serves these tasks and hands everything else to the host
//! it wraps, so embedders put their own hooks in front of it (or behind it).
//!
//! ```
//! use deluge_lang::zoho::{ZohoHost, ZohoProduct};
//!
//! let mut engine = deluge_lang::Engine::new();
//! engine.set_host(ZohoHost::default());
//! engine.zoho_settings_mut().set_default_connection(ZohoProduct::Crm, "my_crm");
//! engine.set_connections(None);
//! let error = engine.run(r#"r = zoho.crm.getRecordById("Leads", 1);"#).unwrap_err();
//! assert!(error.message().contains("this engine has no connection store"), "{error}");
//! ```

// The request plumbing behind `ZohoHost`: private unless the `internals` feature is on.
internal_modules!(args, endpoint, json, request);
mod books;
mod call;
mod creator;
mod crm;
mod desk;
mod layer;
pub use crate::eval::zoho_settings as settings;

pub use layer::ZohoHost;
pub use settings::{ZohoProduct, ZohoSettings};

use crate::eval::failure::Failure;
use std::sync::atomic::{AtomicU64, Ordering};

use crate::eval::context::NativeCtx;
use crate::eval::value::Value;

use call::{Call, Task};
use endpoint::Endpoint;

/// A product's tasks under one name prefix, and how to find their API root.
struct Family {
    prefix: &'static str,
    product: ZohoProduct,
    tasks: &'static [Task],
    root: fn(&Endpoint, &ZohoSettings) -> String,
    /// Tasks people ask for that do not exist, with what to use instead.
    missing: &'static [(&'static str, &'static str)],
}

/// Every family, most specific prefix first.
fn families() -> [&'static Family; 7] {
    [
        &crm::V8,
        &crm::LEGACY,
        &books::BOOKS,
        &books::INVENTORY,
        &creator::V2_1,
        &creator::V2,
        &desk::DESK,
    ]
}

/// Runs task `name` if a family serves its prefix; `None` when no Zoho family owns it.
fn run(
    ctx: &NativeCtx<'_>,
    calls: &AtomicU64,
    name: &str,
    args: &[Value],
) -> Option<Result<Value, Failure>> {
    let lower = name.to_ascii_lowercase();
    let family = families()
        .into_iter()
        .find(|f| lower.starts_with(&format!("{}.", f.prefix)))?;
    let short = &name[family.prefix.len() + 1..];
    let Some(task) = family
        .tasks
        .iter()
        .find(|t| t.sig.name.eq_ignore_ascii_case(short))
    else {
        return Some(Err((unknown_task(family, name, short)).into()));
    };
    let full = format!("{}.{}", family.prefix, task.sig.name);
    Some(run_task(ctx, calls, family, task, full, args))
}

fn run_task(
    ctx: &NativeCtx<'_>,
    calls: &AtomicU64,
    family: &Family,
    task: &Task,
    full: String,
    args: &[Value],
) -> Result<Value, Failure> {
    let bound = task.sig.bind(&full, args)?;
    let endpoint = endpoint::resolve(ctx, &full, family.product, bound.connection.as_deref())?;
    let count = calls.fetch_add(1, Ordering::Relaxed) + 1;
    log::debug!(
        "zoho: API call {count}: {full} over connection \"{}\"",
        endpoint.link_name
    );
    let root = (family.root)(&endpoint, &ctx.env.zoho);
    let call = Call {
        ctx,
        task: full,
        args: bound,
        endpoint,
        root,
    };
    (task.run)(&call)
}

fn unknown_task(family: &Family, name: &str, short: &str) -> String {
    if let Some((_, instead)) = family
        .missing
        .iter()
        .find(|(missing, _)| missing.eq_ignore_ascii_case(short))
    {
        return format!("no such task: {name}; {instead}");
    }
    let known: Vec<&str> = family.tasks.iter().map(|t| t.sig.name).collect();
    format!(
        "`{name}` is not supported: deluge-lang runs these {} tasks under {}: {}",
        family.product.title(),
        family.prefix,
        known.join(", ")
    )
}

/// Every Zoho task deluge-lang serves: its full name (`zoho.crm.getRecordById`) and its
/// signature as `Signature::describe` writes it, for editors (hover, completion, signature help).
pub fn task_signatures() -> Vec<(String, String)> {
    families()
        .into_iter()
        .flat_map(|family| {
            family.tasks.iter().map(move |task| {
                let full = format!("{}.{}", family.prefix, task.sig.name);
                let described = task.sig.describe(&full);
                (full, described)
            })
        })
        .collect()
}
