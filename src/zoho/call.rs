//! One task call ([`Call`]: its checked arguments, connection and API root) and what every
//! product module builds its requests with: [`Call::request`] for the path,
//! [`Call::send_raw`] / [`Call::send_raw_json`] for products whose JSON is returned
//! unchanged, and [`task`] for the tables.

use crate::eval::context::NativeCtx;
use crate::eval::failure::Failure;
use crate::eval::value::Value;
use crate::http::request::Method;

use super::args::{Bound, Param, Signature};
use super::endpoint::Endpoint;
use super::request::{Reply, TaskRequest};
use super::settings::ZohoProduct;

/// A task one product module serves: its signature and the function that runs it.
pub(super) struct Task {
    pub(super) sig: Signature,
    pub(super) run: fn(&Call<'_, '_>) -> Result<Value, Failure>,
}

/// One task call, checked and with its connection resolved.
pub(super) struct Call<'a, 'c> {
    pub(super) ctx: &'a NativeCtx<'c>,
    /// The full task name as Zoho spells it, e.g. `zoho.crm.getRecordById`.
    pub(super) task: String,
    pub(super) args: Bound<'a>,
    pub(super) endpoint: Endpoint,
    /// The product API root, e.g. `https://www.zohoapis.com/crm/v2`.
    pub(super) root: String,
}

/// A [`Task`] table entry: `task(name, params, run)`.
pub(super) const fn task(
    name: &'static str,
    params: &'static [Param],
    run: fn(&Call<'_, '_>) -> Result<Value, Failure>,
) -> Task {
    Task {
        sig: Signature { name, params },
        run,
    }
}

impl Call<'_, '_> {
    /// A request to the product API root plus `segments`, each one path segment.
    pub(super) fn request(&self, method: Method, segments: &[&str]) -> Result<TaskRequest, String> {
        TaskRequest::new(&self.task, method, &self.root, segments)
    }

    /// Sends `request` signed by the call's connection.
    pub(super) fn send(&self, request: TaskRequest) -> Result<Reply, Failure> {
        request.send(self.ctx, &self.task, &self.endpoint.link_name)
    }

    /// A product argument: the script's (argument `index`) unless empty, else the run's
    /// setting (`--zoho-param product.name=...`), else an error saying how to give it.
    pub(super) fn product_arg(
        &self,
        index: usize,
        product: ZohoProduct,
        name: &str,
    ) -> Result<String, String> {
        let given = self.args.text(index);
        if !given.trim().is_empty() {
            return Ok(given);
        }
        match self.ctx.env.zoho.param(product, name) {
            Some(value) => Ok(value.to_owned()),
            None => Err(format!(
                "{}: no {name} given: pass it as argument {} or set it for the run with \
                 `--zoho-param {}.{name}=VALUE`",
                self.task,
                index + 1,
                product.key()
            )),
        }
    }

    /// Sends `request` and returns the product's JSON unchanged (`{}` for an empty reply).
    pub(super) fn send_raw(&self, request: TaskRequest) -> Result<Value, Failure> {
        Ok(self.send(request)?.body_or(Value::new_map()))
    }

    /// Sends `request` with `body` as its JSON body; the reply as [`Call::send_raw`] gives it.
    pub(super) fn send_raw_json(
        &self,
        request: TaskRequest,
        body: &Value,
    ) -> Result<Value, Failure> {
        self.send_raw(request.json(self.ctx, body)?)
    }
}
