//! Which connection a task uses (zoho-tasks.md §1.2) and where its product's API lives (§1.3).

use crate::connections::ConnectionInfo;
use crate::eval::context::NativeCtx;

use super::settings::ZohoProduct;

/// One data centre: the top-level domain of `www.zohoapis.<tld>`, with its Desk and Creator
/// API hosts, and the suffix of the catalog's service names (`zoho_crm_eu`).
struct DataCentre {
    service_suffix: &'static str,
    api: &'static str,
    desk: &'static str,
    creator: &'static str,
}

const DATA_CENTRES: &[DataCentre] = &[
    dc(
        "com",
        "www.zohoapis.com",
        "desk.zoho.com",
        "creator.zoho.com",
    ),
    dc("eu", "www.zohoapis.eu", "desk.zoho.eu", "creator.zoho.eu"),
    dc("in", "www.zohoapis.in", "desk.zoho.in", "creator.zoho.in"),
    dc(
        "com_au",
        "www.zohoapis.com.au",
        "desk.zoho.com.au",
        "creator.zoho.com.au",
    ),
    dc("jp", "www.zohoapis.jp", "desk.zoho.jp", "creator.zoho.jp"),
    dc(
        "ca",
        "www.zohoapis.ca",
        "desk.zohocloud.ca",
        "creator.zohocloud.ca",
    ),
    dc(
        "com_cn",
        "www.zohoapis.com.cn",
        "desk.zoho.com.cn",
        "creator.zoho.com.cn",
    ),
    dc("sa", "www.zohoapis.sa", "desk.zoho.sa", "creator.zoho.sa"),
    dc("uk", "www.zohoapis.uk", "desk.zoho.uk", "creator.zoho.uk"),
];

const fn dc(
    service_suffix: &'static str,
    api: &'static str,
    desk: &'static str,
    creator: &'static str,
) -> DataCentre {
    DataCentre {
        service_suffix,
        api,
        desk,
        creator,
    }
}

/// The resolved connection and the roots of its product APIs (no trailing `/`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Endpoint {
    /// The connection that signs the request.
    pub link_name: String,
    /// `https://www.zohoapis.<tld>` (CRM, Books, Inventory, Creator v2.1).
    pub api: String,
    /// `https://desk.zoho.<tld>`.
    pub desk: String,
    /// `https://creator.zoho.<tld>`.
    pub creator: String,
}

/// Finds the connection of a `product` task: the script's, else the run's default, else the
/// only connection of the product's catalog services; then its API roots.
pub fn resolve(
    ctx: &NativeCtx<'_>,
    task: &str,
    product: ZohoProduct,
    given: Option<&str>,
) -> Result<Endpoint, String> {
    let store = crate::http::connections_of(ctx.env).ok_or_else(|| {
        format!(
            "{task}: Zoho tasks are signed with a connection, and {}",
            crate::http::connection_error::NO_CONNECTION_STORE
        )
    })?;
    let link_name = match given.or(ctx.env.zoho.default_connection(product)) {
        Some(link) => link.to_owned(),
        None => only_connection(store, task, product)?,
    };
    let info = store
        .describe(&link_name)
        .map_err(|e| format!("{task}: {e}"))?
        .ok_or_else(|| {
            format!(
                "{task}: the connection store cannot tell which Zoho data centre connection \"{link_name}\" uses"
            )
        })?;
    endpoint(task, &info)
}

/// The setting that names `product`'s default connection, as messages name it (a front end
/// rewords it with [`SettingNames`](crate::SettingNames)).
pub fn default_connection_setting(product: ZohoProduct) -> String {
    format!("`ZohoSettings::set_default_connection(ZohoProduct::{product:?}, LINK)`")
}

/// The remark, in messages, that the store has no connection of `product`'s services.
pub fn no_connection_of_product(product: ZohoProduct) -> String {
    format!(
        "(the connection store has no connection of a {}* service)",
        product.service_prefix()
    )
}

fn only_connection(
    store: &dyn crate::connections::ConnectionAuthorizer,
    task: &str,
    product: ZohoProduct,
) -> Result<String, String> {
    let prefix = product.service_prefix();
    let mut links: Vec<String> = store
        .links()
        .map_err(|e| format!("{task}: {e}"))?
        .into_iter()
        .filter(|(_, service)| service.starts_with(&prefix))
        .map(|(link, _)| link)
        .collect();
    let how = format!(
        "pass the connection's link name as the task's last argument, or set a default with \
         {}",
        default_connection_setting(product)
    );
    match links.len() {
        1 => Ok(links.remove(0)),
        0 => Err(format!(
            "{task}: no connection given and no default {title} connection \
             {}; {how}",
            no_connection_of_product(product),
            title = product.title()
        )),
        _ => Err(format!(
            "{task}: no connection given and several {title} connections ({}); {how}",
            links.join(", "),
            title = product.title()
        )),
    }
}

/// The API roots of a connection: its service's `--api-base` for every product; else its
/// token's `api_domain` mapped through the data-centre table; else the data centre its
/// catalog service is named after.
pub fn endpoint(task: &str, info: &ConnectionInfo) -> Result<Endpoint, String> {
    let with_roots = |api: String, desk: String, creator: String| Endpoint {
        link_name: info.link_name.clone(),
        api,
        desk,
        creator,
    };
    if let Some(base) = &info.api_base {
        let base = base.trim_end_matches('/').to_owned();
        return Ok(with_roots(base.clone(), base.clone(), base));
    }
    if let Some(domain) = &info.api_domain {
        let domain = domain.trim_end_matches('/');
        let host = domain
            .strip_prefix("https://")
            .or_else(|| domain.strip_prefix("http://"))
            .unwrap_or(domain);
        let roots = match DATA_CENTRES.iter().find(|dc| dc.api == host) {
            Some(dc) => with_roots(https(dc.api), https(dc.desk), https(dc.creator)),
            None => {
                let root = if domain.contains("://") {
                    domain.to_owned()
                } else {
                    https(domain)
                };
                with_roots(root.clone(), root.clone(), root)
            }
        };
        return Ok(roots);
    }
    let suffix = info.service.rsplit_once("zoho_").map(|(_, rest)| rest);
    let dc = suffix.and_then(|rest| {
        DATA_CENTRES
            .iter()
            .find(|dc| rest.ends_with(&format!("_{}", dc.service_suffix)))
    });
    match dc {
        Some(dc) => Ok(with_roots(https(dc.api), https(dc.desk), https(dc.creator))),
        None => Err(format!(
            "{task}: cannot tell which Zoho data centre connection \"{}\" (service \"{}\") uses: \
             its token carried no api_domain; give the service an API base with \
             `dlg service create ... --api-base URL`",
            info.link_name, info.service
        )),
    }
}

fn https(host: &str) -> String {
    format!("https://{host}")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn info(service: &str, api_domain: Option<&str>, api_base: Option<&str>) -> ConnectionInfo {
        ConnectionInfo {
            link_name: "c".into(),
            service: service.into(),
            api_domain: api_domain.map(Into::into),
            api_base: api_base.map(Into::into),
        }
    }

    #[test]
    fn the_api_domain_picks_the_data_centre_hosts() {
        let e = endpoint(
            "t",
            &info("zoho_crm_com", Some("https://www.zohoapis.ca"), None),
        )
        .unwrap();
        assert_eq!(e.api, "https://www.zohoapis.ca");
        assert_eq!(e.desk, "https://desk.zohocloud.ca");
        assert_eq!(e.creator, "https://creator.zohocloud.ca");
    }

    #[test]
    fn the_service_name_gives_the_data_centre_without_a_token_domain() {
        let e = endpoint("t", &info("zoho_desk_com_au", None, None)).unwrap();
        assert_eq!(e.desk, "https://desk.zoho.com.au");
        assert_eq!(e.api, "https://www.zohoapis.com.au");
    }

    #[test]
    fn an_api_base_serves_every_product() {
        let e = endpoint(
            "t",
            &info(
                "zoho_crm_eu",
                Some("https://www.zohoapis.eu"),
                Some("http://127.0.0.1:9/"),
            ),
        )
        .unwrap();
        assert_eq!(
            (e.api.as_str(), e.desk.as_str()),
            ("http://127.0.0.1:9", "http://127.0.0.1:9")
        );
    }

    #[test]
    fn an_unknown_data_centre_says_how_to_set_the_base() {
        let error = endpoint("zoho.crm.getRecords", &info("mine", None, None)).unwrap_err();
        assert!(error.starts_with("zoho.crm.getRecords: cannot tell which Zoho data centre connection \"c\" (service \"mine\") uses"), "{error}");
    }
}
