//! The `invokeurl` task: check the keys, build the request, let the connection sign it, send
//! it under the redirect policy and turn the response into a value (language.md §7).
//!
//! Any status code is a response, not an error: a 404 body is returned like a 200 body, and
//! `detailed: true` shows the code. Failures are network failures (timeout, refused, DNS,
//! TLS, size cap), bad keys and connection errors.

use std::time::Instant;

use super::build::build_request;
use super::error::HttpError;
use super::network::{network_of, HttpNetwork};
use super::redirect::{send_following_redirects, FetchError, Signer};
use super::request::{HttpRequest, Method};
use super::response::{body_value, detailed_value, DecodeOptions, HttpResponse};
use super::signed::check_routing_headers;
use super::spec::InvokeSpec;
use super::transport::SendOptions;
use crate::eval::context::NativeCtx;
use crate::eval::failure::{ErrorKind, Failure, LimitKind};
use crate::eval::value::Value;

/// Runs an `invokeurl` task with the run's HTTP engine ([`network_of`]). `params` are the
/// task's `key: value` entries in source order, keys as the parser normalised them (`String`
/// or `Box<str>`); see `http::spec::KEYS`. Setting the context's interrupt flag abandons
/// the wait for the response (Ctrl-C).
pub fn invoke_url<K: AsRef<str>>(
    ctx: &mut NativeCtx<'_>,
    params: &[(K, Value)],
) -> Result<Value, Failure> {
    invoke_on(network(ctx)?, ctx, params)
}

/// The run's HTTP engine; a failure of kind [`ErrorKind::Network`] when it has none.
fn network<'a>(ctx: &NativeCtx<'a>) -> Result<&'a HttpNetwork, Failure> {
    network_of(ctx.env).map_err(|message| Failure::new(ErrorKind::Network, message))
}

/// [`invoke_url`] with `network`.
pub(super) fn invoke_on<K: AsRef<str>>(
    network: &HttpNetwork,
    ctx: &mut NativeCtx<'_>,
    params: &[(K, Value)],
) -> Result<Value, Failure> {
    let spec = InvokeSpec::parse(params)?;
    let request = build_request(&spec)?;
    let is_head = request.method == Method::Head;
    let response = fetch_on(network, ctx, request, spec.connection.as_deref())?;
    let body = if is_head {
        Value::text("")
    } else {
        let options = DecodeOptions {
            format: spec.format,
            charset: spec.charset,
            max_text_bytes: ctx.env.limits.max_text_bytes,
        };
        body_value(&response, &options)?
    };
    Ok(if spec.detailed {
        detailed_value(&response, body)
    } else {
        body
    })
}

/// Sends `request` with the run's HTTP engine ([`network_of`]) and limits, signed by
/// connection `connection` when given, and counts it against the run's quotas (one HTTP call;
/// the body's bytes). After a 401 on a signed request the connection may renew its
/// credentials once, and the request is sent again. Setting the context's interrupt flag
/// abandons the wait.
pub fn fetch(
    ctx: &NativeCtx<'_>,
    request: HttpRequest,
    connection: Option<&str>,
) -> Result<HttpResponse, Failure> {
    fetch_on(network(ctx)?, ctx, request, connection)
}

/// [`fetch`] with `network`.
fn fetch_on(
    network: &HttpNetwork,
    ctx: &NativeCtx<'_>,
    request: HttpRequest,
    connection: Option<&str>,
) -> Result<HttpResponse, Failure> {
    let limits = &ctx.env.limits;
    let Some(usage) = ctx.usage else {
        let options = SendOptions {
            interrupt: ctx.interrupt.cloned(),
            ..SendOptions::from_limits(limits)
        };
        return fetch_with(network, request, connection, &options).map_err(Failure::from);
    };
    usage
        .count_http_call(limits)
        .map_err(|message| Failure::new(quota(), message))?;
    let bytes_left = usage.http_bytes_left(limits);
    let time_left = usage.time_left();
    let mut options = SendOptions {
        interrupt: ctx.interrupt.cloned(),
        ..SendOptions::from_limits(limits)
    };
    if let Some(left) = bytes_left {
        options.max_response_bytes = options.max_response_bytes.min(clamp_usize(left));
    }
    if let Some(left) = time_left {
        options.timeout = options.timeout.min(left);
    }
    let host = request.host_port();
    match fetch_with(network, request, connection, &options) {
        Ok(response) => {
            usage
                .count_http_bytes(response.body.len() as u64, limits)
                .map_err(|message| Failure::new(quota(), message))?;
            Ok(response)
        }
        Err(FetchError::Http(HttpError::TooLarge { limit, .. }))
            if bytes_left.is_some_and(|left| (limit as u64) == left) =>
        {
            let max = limits.max_http_bytes.unwrap_or_default();
            Err(Failure::new(quota(), usage.http_bytes_breach(max)))
        }
        Err(FetchError::Http(HttpError::Timeout { .. }))
            if usage.time_left().is_some_and(|left| left.is_zero()) =>
        {
            Err(Failure::new(
                ErrorKind::Timeout,
                usage.time_breach(limits, &host),
            ))
        }
        Err(error) => Err(Failure::from(error)),
    }
}

/// The kind of a run's quota breach.
fn quota() -> ErrorKind {
    ErrorKind::Limit(LimitKind::Quota)
}

fn clamp_usize(bytes: u64) -> usize {
    usize::try_from(bytes).unwrap_or(usize::MAX)
}

/// [`fetch`] with the exchange options decided.
fn fetch_with(
    network: &HttpNetwork,
    request: HttpRequest,
    connection: Option<&str>,
    options: &SendOptions,
) -> Result<HttpResponse, FetchError> {
    let deadline = Instant::now() + options.timeout;
    let transport = network.transport.as_ref();
    let Some(link_name) = connection else {
        return send_following_redirects(transport, request, options, deadline, None);
    };
    let authorizer = network.connections.as_deref().ok_or_else(|| {
        FetchError::Sign(Failure::new(
            ErrorKind::NoConnection,
            format!(
                "connection \"{link_name}\" cannot be used: {}",
                crate::http::connection_error::NO_CONNECTION_STORE
            ),
        ))
    })?;
    let sign = |outgoing: &mut HttpRequest| {
        check_routing_headers(link_name, outgoing)?;
        authorizer
            .authorize(link_name, outgoing)
            .map_err(Failure::from)
    };
    let signer: Signer<'_> = &sign;
    log::debug!("http: signing with connection \"{link_name}\"");
    let send = |request: HttpRequest| {
        send_following_redirects(transport, request, options, deadline, Some(signer))
    };
    let response = send(request.clone())?;
    if response.status != 401 {
        return Ok(response);
    }
    log::debug!("http: 401: asking connection \"{link_name}\" to renew its credentials");
    let renewed = authorizer
        .renew_after_unauthorized(link_name)
        .map_err(|error| FetchError::Sign(Failure::from(error)))?;
    if renewed {
        log::debug!("http: credentials renewed; sending the request again");
        send(request)
    } else {
        log::debug!("http: the credentials cannot be renewed; keeping the 401");
        Ok(response)
    }
}
