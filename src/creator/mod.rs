//! Zoho Creator apps locally: forms and records in an embedded SQLite database, criteria
//! translated to SQL, form UI actions recorded, `zoho.creator.*` tasks on the local app, and
//! form definitions and functions read from a Creator `.ds` export.
//!
//! [`CreatorHost`] is a [`crate::Host`] layer: it serves the Creator constructs and passes every
//! other construct to the host it wraps.

mod criteria;
// `.ds` exports and seeding, used by `dlg`: private unless the `internals` feature is on.
internal_modules!(ds, load);
mod host;
mod records;
mod run_state;
mod schema;
mod scope;
mod store;
mod tasks;
mod ui;
mod values;

pub use host::{CreatorHost, CreatorOptions, Outcome};
pub use records::Record;
pub use schema::{Field, FieldType, Form, SYSTEM_FIELDS};
pub use ui::{render_actions, UiAction};
