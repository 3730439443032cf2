//! The mail page: the outbox by status, a test message through it, and resending failed or
//! interrupted messages. Failures show here within seconds of the attempt.

use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use keygate_core::admin::{AdminError, MailFilter};
use keygate_core::mail::MailStatus;
use minijinja::{Value, context};
use serde::Deserialize;

use super::session::Console;
use super::{console_url, failure, render, text, urlencoding, when};
use crate::state::AppState;
use crate::ui::see_other;

const PAGE: i64 = 50;

/// The filter form and the notices after a post, as the query string carries them.
#[derive(Debug, Default, Deserialize)]
pub struct Filter {
    status: Option<String>,
    user: Option<String>,
    cursor: Option<String>,
    /// A test message just queued.
    queued: Option<i64>,
    /// A message just queued again.
    resent: Option<i64>,
}

/// `GET /admin/mail`.
pub async fn list(
    State(state): State<AppState>,
    console: Console,
    Query(filter): Query<Filter>,
) -> Response {
    page(&state, &console, &filter, &[], None).await
}

async fn page(
    state: &AppState,
    console: &Console,
    filter: &Filter,
    problems: &[String],
    address: Option<&str>,
) -> Response {
    let admin = or_respond!(console.reader(state));
    let core = MailFilter {
        statuses: filter.status.iter().cloned().collect(),
        user: filter.user.clone(),
        before: filter.cursor.as_deref().and_then(|c| c.parse().ok()),
        limit: PAGE + 1,
    };
    let (mut messages, mut general) = match admin.mail(&core).await {
        Ok(m) => (m, Vec::new()),
        Err(AdminError::Invalid(p)) => (Vec::new(), p),
        Err(e) => return failure(state, e),
    };
    general.extend(problems.iter().cloned());
    let next_cursor =
        crate::admin_api::next_page(&mut messages, PAGE as usize, |m| m.id.to_string());
    let rows: Vec<Value> = messages
        .iter()
        .map(|m| {
            context! {
                id => m.id, when => when(m.created_at), kind => &m.kind, to => &m.to,
                subject => &m.subject, status => m.status.as_str(), problem => m.status.is_problem(),
                attempts => m.attempts, error => &m.last_error,
                sent => m.sent_at.map(when), next => (m.status == MailStatus::Pending).then(|| when(m.next_attempt_at)),
            }
        })
        .collect();
    let counts = state.provider.store().count_mail().await.unwrap_or_default();
    let counts: Vec<Value> = counts
        .iter()
        .map(|(s, n)| context! { status => s.as_str(), count => n, problem => s.is_problem() })
        .collect();
    let transport = state.provider.mailer().transport().map(|t| t.describe());
    let more = filter_query(filter);
    let status = if general.is_empty() { StatusCode::OK } else { StatusCode::UNPROCESSABLE_ENTITY };
    let ctx = context! {
        title => "Mail", messages => rows, counts, transport, next_cursor, more,
        general_errors => general, address,
        queued => filter.queued, resent => filter.resent,
        filter => context! { status => &filter.status, user => &filter.user },
        statuses => MailStatus::ALL.iter().map(|s| s.as_str()).collect::<Vec<_>>(),
    };
    render(state, console, "mail", status, "mail.html", ctx)
}

fn filter_query(filter: &Filter) -> String {
    let mut out = url::form_urlencoded::Serializer::new(String::new());
    for (name, value) in [("status", &filter.status), ("user", &filter.user)] {
        if let Some(value) = value.as_deref().filter(|v| !v.is_empty()) {
            out.append_pair(name, value);
        }
    }
    out.finish()
}

/// `POST /admin/mail/test`: queues a test message through the outbox.
pub async fn test(
    State(state): State<AppState>,
    console: Console,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let (form, _) = or_respond!(console.post(&state, &headers, &body));
    let address = text(&form, "address");
    let actor = or_respond!(console.actor(&state));
    match state.provider.queue_test_mail(&address, actor).await {
        // Post/Redirect/Get: reloading the page shows the outcome without sending again.
        Ok(id) => see_other(&console_url(&state, &format!("/mail?queued={id}"))),
        Err(AdminError::Invalid(problems)) => {
            let problems: Vec<String> =
                problems.into_iter().map(|p| format!("address: {p}")).collect();
            page(&state, &console, &Filter::default(), &problems, Some(&address)).await
        }
        Err(e) => failure(&state, e),
    }
}

/// `POST /admin/mail/{id}/resend`.
pub async fn resend(
    State(state): State<AppState>,
    console: Console,
    Path(id): Path<i64>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let (_, admin) = or_respond!(console.post(&state, &headers, &body));
    match admin.resend_mail(id).await {
        Ok(_) => {
            state.provider.wake_mail_sender();
            see_other(&console_url(&state, &format!("/mail?resent={id}")))
        }
        Err(AdminError::Invalid(problems)) => {
            page(&state, &console, &Filter::default(), &problems, None).await
        }
        Err(e) => failure(&state, e),
    }
}

/// `POST /admin/users/{id}/reset-link`: sends the user a password reset link.
pub async fn reset_link(
    State(state): State<AppState>,
    console: Console,
    Path(id): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    user_link(&state, &console, &id, &headers, &body, Link::Reset).await
}

/// `POST /admin/users/{id}/verification-link`: sends the user a link to confirm their address.
pub async fn verification_link(
    State(state): State<AppState>,
    console: Console,
    Path(id): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    user_link(&state, &console, &id, &headers, &body, Link::Verification).await
}

enum Link {
    Reset,
    Verification,
}

/// Sends a user one of the links, then shows the messages to them.
async fn user_link(
    state: &AppState,
    console: &Console,
    id: &str,
    headers: &HeaderMap,
    body: &[u8],
    link: Link,
) -> Response {
    let (_, admin) = or_respond!(console.post(state, headers, body));
    let actor = or_respond!(console.actor(state));
    let sent = match link {
        Link::Reset => state.provider.send_reset_link(id, actor).await,
        Link::Verification => state.provider.send_verification_link(id, actor).await,
    };
    match sent {
        Ok(()) => {
            let user = admin.user(id).await.map(|u| u.username).unwrap_or_else(|_| id.to_owned());
            let query = url::form_urlencoded::Serializer::new(String::new())
                .append_pair("user", &user)
                .finish();
            see_other(&console_url(state, &format!("/mail?{query}")))
        }
        Err(AdminError::Invalid(problems)) => {
            let user_page = console_url(state, &format!("/users/{}", urlencoding(id)));
            crate::ui::error_page(
                state,
                StatusCode::UNPROCESSABLE_ENTITY,
                "No link was sent",
                &format!("{} Back to the user: {user_page}", problems.join(" ")),
            )
        }
        Err(e) => failure(state, e),
    }
}

/// `POST /admin/users/invite`: emails an invitation to create an account.
pub async fn invite(
    State(state): State<AppState>,
    console: Console,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let (form, _) = or_respond!(console.post(&state, &headers, &body));
    let email = text(&form, "invite_email");
    let locale = text(&form, "invite_locale");
    let actor = or_respond!(console.actor(&state));
    match state.provider.invite(&email, Some(&locale), actor).await {
        Ok(()) => see_other(&console_url(&state, "/mail?status=pending")),
        Err(AdminError::Invalid(problems)) => crate::ui::error_page(
            &state,
            StatusCode::UNPROCESSABLE_ENTITY,
            "No invitation was sent",
            &problems.join(" "),
        ),
        Err(e) => failure(&state, e),
    }
}
