//! The sign-in log page: who signed in to which application, from where, and what failed.

use std::collections::BTreeMap;

use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use keygate_core::admin::{Admin, AdminError, SignInFilter};
use keygate_core::signin_log::SignInOutcome;
use keygate_core::store::SignInEvent;
use minijinja::{Value, context};
use serde::Deserialize;

use super::session::Console;
use super::{console_url, failure, render, urlencoding, when};
use crate::state::AppState;

/// One page of the log.
const PAGE: i64 = 50;

/// The filter form, as the query string carries it.
#[derive(Debug, Default, Deserialize)]
pub struct Filter {
    user: Option<String>,
    application: Option<String>,
    /// One outcome, `failures` (every outcome but success), or empty for all.
    outcome: Option<String>,
    since: Option<String>,
    until: Option<String>,
    cursor: Option<String>,
}

impl Filter {
    fn core(&self) -> SignInFilter {
        let outcomes = self.outcome.iter().cloned().collect();
        SignInFilter {
            user: self.user.clone(),
            application: self.application.clone(),
            outcomes,
            since: self.since.clone(),
            until: self.until.clone(),
            before: self.cursor.as_deref().and_then(|c| c.parse().ok()),
            limit: PAGE + 1,
        }
    }

    /// The query string of the same filter, for the "Older" link.
    fn query(&self) -> String {
        let pairs = [
            ("user", &self.user),
            ("application", &self.application),
            ("outcome", &self.outcome),
            ("since", &self.since),
            ("until", &self.until),
        ];
        let mut out = url::form_urlencoded::Serializer::new(String::new());
        for (name, value) in pairs {
            if let Some(value) = value.as_deref().filter(|v| !v.is_empty()) {
                out.append_pair(name, value);
            }
        }
        out.finish()
    }
}

/// `GET /admin/signins`.
pub async fn list(
    State(state): State<AppState>,
    console: Console,
    Query(filter): Query<Filter>,
) -> Response {
    let admin = or_respond!(console.reader(&state));
    let apps = admin.clients().await.unwrap_or_default();
    let (mut events, problems) = match admin.signins(&filter.core()).await {
        Ok(events) => (events, Vec::new()),
        Err(AdminError::Invalid(problems)) => (Vec::new(), problems),
        Err(e) => return failure(&state, e),
    };
    let next_cursor =
        crate::admin_api::next_page(&mut events, PAGE as usize, |e| e.seq.to_string());
    let names: BTreeMap<&str, &str> =
        apps.iter().map(|c| (c.client_id.as_str(), c.name.as_str())).collect();
    let rows = event_rows(&state, &admin, &names, &events).await;
    let mut apps: Vec<Value> =
        apps.iter().map(|c| context! { id => &c.client_id, name => &c.name }).collect();
    apps.sort_by_key(|a| a.get_attr("name").map(|n| n.to_string().to_lowercase()).ok());
    let outcomes: Vec<Value> = SignInOutcome::ALL
        .iter()
        .map(|o| context! { value => o.as_str(), label => o.describe() })
        .collect();
    let status =
        if problems.is_empty() { StatusCode::OK } else { StatusCode::UNPROCESSABLE_ENTITY };
    let ctx = context! {
        title => "Sign-in log",
        events => rows,
        next_cursor,
        more => filter.query(),
        general_errors => problems,
        apps,
        outcomes,
        filter => context! {
            user => filter.user, application => filter.application, outcome => filter.outcome,
            since => filter.since, until => filter.until,
        },
        retention_days => state.provider.settings().signin_log_retention / 86_400,
    };
    render(&state, &console, "signins", status, "signins.html", ctx)
}

/// The rows of the table: users and applications by name, linked to their pages.
async fn event_rows(
    state: &AppState,
    admin: &Admin<'_>,
    apps: &BTreeMap<&str, &str>,
    events: &[SignInEvent],
) -> Vec<Value> {
    let ids = events.iter().filter_map(|e| e.user_id.as_deref());
    let users = admin.usernames(ids).await.unwrap_or_default();
    events
        .iter()
        .map(|e| {
            let user = e.user_id.as_deref().map(|id| {
                let href = console_url(state, &format!("/users/{}", urlencoding(id)));
                let name = users.get(id);
                context! { id, name, href }
            });
            let app = e.client_id.as_deref().map(|id| {
                let href = console_url(state, &format!("/applications/{}", urlencoding(id)));
                context! { id, name => apps.get(id).copied(), href }
            });
            context! {
                when => when(e.at), outcome => e.outcome.describe(), failed => e.outcome.failed(),
                user, app, ip => &e.ip, user_agent => &e.user_agent, detail => &e.detail,
            }
        })
        .collect()
}
