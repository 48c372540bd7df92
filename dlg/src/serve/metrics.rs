//! Counters for `/metrics`, in the Prometheus text format: requests by function and status,
//! a latency histogram by function, calls in flight, OAuth token refreshes, and reloads of the
//! script files.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::sync::atomic::{AtomicI64, AtomicU64, Ordering};
use std::sync::Mutex;

/// Upper bounds of the latency buckets, in seconds.
const BUCKETS: [f64; 12] = [
    0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 5.0,
];

/// The label of requests that named no served function (keeps the label set bounded).
pub const NO_FUNCTION: &str = "";

#[derive(Default)]
struct Histogram {
    counts: [u64; BUCKETS.len()],
    count: u64,
    sum: f64,
}

#[derive(Default)]
struct Tables {
    requests: BTreeMap<(String, u16), u64>,
    latency: BTreeMap<String, Histogram>,
}

/// The server's metrics.
#[derive(Default)]
pub struct Metrics {
    tables: Mutex<Tables>,
    in_flight: AtomicI64,
    reloads_ok: AtomicU64,
    reloads_failed: AtomicU64,
}

/// Counts a request as in flight until dropped.
pub struct InFlight<'m>(&'m AtomicI64);

impl Drop for InFlight<'_> {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::SeqCst);
    }
}

impl Metrics {
    /// Marks a request in flight for the life of the guard.
    pub fn start(&self) -> InFlight<'_> {
        self.in_flight.fetch_add(1, Ordering::SeqCst);
        InFlight(&self.in_flight)
    }

    /// Records a finished request to `function` ([`NO_FUNCTION`] when none was found).
    pub fn record(&self, function: &str, status: u16, seconds: f64) {
        let Ok(mut tables) = self.tables.lock() else {
            return;
        };
        *tables
            .requests
            .entry((function.to_owned(), status))
            .or_default() += 1;
        let histogram = tables.latency.entry(function.to_owned()).or_default();
        for (count, bound) in histogram.counts.iter_mut().zip(BUCKETS) {
            if seconds <= bound {
                *count += 1;
            }
        }
        histogram.count += 1;
        histogram.sum += seconds;
    }

    /// Records a reload of the script files.
    pub fn reloaded(&self, ok: bool) {
        let counter = if ok {
            &self.reloads_ok
        } else {
            &self.reloads_failed
        };
        counter.fetch_add(1, Ordering::SeqCst);
    }

    /// Everything, in the Prometheus text exposition format (version 0.0.4).
    pub fn render(&self) -> String {
        let mut out = String::new();
        if let Ok(tables) = self.tables.lock() {
            render_requests(&mut out, &tables.requests);
            render_latency(&mut out, &tables.latency);
        }
        let (renewed, renewals_failed) = deluge_lang::connections::oauth2::renewals::counts();
        let _ = write!(
            out,
            "# HELP dlg_serve_token_refreshes_total OAuth 2 token renewals this process sent, by result.\n\
             # TYPE dlg_serve_token_refreshes_total counter\n\
             dlg_serve_token_refreshes_total{{result=\"ok\"}} {renewed}\n\
             dlg_serve_token_refreshes_total{{result=\"failed\"}} {renewals_failed}\n\
             # HELP dlg_serve_in_flight Calls being handled now.\n\
             # TYPE dlg_serve_in_flight gauge\n\
             dlg_serve_in_flight {}\n\
             # HELP dlg_serve_reloads_total Reloads of the script files after a change, by result.\n\
             # TYPE dlg_serve_reloads_total counter\n\
             dlg_serve_reloads_total{{result=\"ok\"}} {}\n\
             dlg_serve_reloads_total{{result=\"failed\"}} {}\n",
            self.in_flight.load(Ordering::SeqCst),
            self.reloads_ok.load(Ordering::SeqCst),
            self.reloads_failed.load(Ordering::SeqCst),
        );
        out
    }
}

fn render_requests(out: &mut String, requests: &BTreeMap<(String, u16), u64>) {
    out.push_str(
        "# HELP dlg_serve_requests_total Function calls, by function and HTTP status.\n\
         # TYPE dlg_serve_requests_total counter\n",
    );
    for ((function, status), n) in requests {
        let _ = writeln!(
            out,
            "dlg_serve_requests_total{{function=\"{}\",status=\"{status}\"}} {n}",
            escape(function)
        );
    }
}

fn render_latency(out: &mut String, latency: &BTreeMap<String, Histogram>) {
    out.push_str(
        "# HELP dlg_serve_request_duration_seconds Time from request to response, by function.\n\
         # TYPE dlg_serve_request_duration_seconds histogram\n",
    );
    for (function, h) in latency {
        let label = escape(function);
        for (bound, count) in BUCKETS.iter().zip(h.counts) {
            let _ = writeln!(
                out,
                "dlg_serve_request_duration_seconds_bucket{{function=\"{label}\",le=\"{bound}\"}} {count}"
            );
        }
        let _ = writeln!(
            out,
            "dlg_serve_request_duration_seconds_bucket{{function=\"{label}\",le=\"+Inf\"}} {}\n\
             dlg_serve_request_duration_seconds_sum{{function=\"{label}\"}} {}\n\
             dlg_serve_request_duration_seconds_count{{function=\"{label}\"}} {}",
            h.count, h.sum, h.count
        );
    }
}

/// A label value with `\`, `"` and newlines escaped.
fn escape(value: &str) -> String {
    value
        .replace('\\', "\\\\")
        .replace('"', "\\\"")
        .replace('\n', "\\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_counters_and_cumulative_buckets() {
        let metrics = Metrics::default();
        metrics.record("hello", 200, 0.002);
        metrics.record("hello", 200, 0.2);
        metrics.reloaded(false);
        let text = metrics.render();
        assert!(text.contains("dlg_serve_requests_total{function=\"hello\",status=\"200\"} 2"));
        assert!(text.contains(
            "dlg_serve_request_duration_seconds_bucket{function=\"hello\",le=\"0.0025\"} 1"
        ));
        assert!(text.contains(
            "dlg_serve_request_duration_seconds_bucket{function=\"hello\",le=\"0.25\"} 2"
        ));
        assert!(text.contains("dlg_serve_reloads_total{result=\"failed\"} 1"));
        assert!(text.contains("dlg_serve_in_flight 0"));
    }
}
