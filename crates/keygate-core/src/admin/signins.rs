//! Reading the sign-in log ([`crate::signin_log`]) with filters as an operator types them.

use super::{Admin, AdminError, check};
use crate::clock::parse_utc;
use crate::signin_log::SignInOutcome;
use crate::store::{SignInEvent, SignInQuery};

/// Filters over the sign-in log as typed in the console, the admin API or the CLI.
#[derive(Debug, Clone, Default)]
pub struct SignInFilter {
    /// A user's id, username or email.
    pub user: Option<String>,
    /// An application's client id or name.
    pub application: Option<String>,
    /// Outcome names (`success`, `wrong_password`, ...; `failures` for every failure); all
    /// when empty.
    pub outcomes: Vec<String>,
    /// From this time (a date `2026-12-01` or `2026-12-01T10:00[:00][Z]`, UTC).
    pub since: Option<String>,
    /// Until this time, exclusive (same forms; a bare date means the end of that day).
    pub until: Option<String>,
    /// The page cursor: only events older than this sequence number.
    pub before: Option<i64>,
    /// At most this many events (1–1000).
    pub limit: i64,
}

impl Admin<'_> {
    /// Sign-in events matching `filter`, newest first. Every problem with the filter is
    /// reported at once, in plain words.
    pub async fn signins(&self, filter: &SignInFilter) -> Result<Vec<SignInEvent>, AdminError> {
        let mut problems = Vec::new();
        let outcomes = parse_outcomes(&filter.outcomes, &mut problems);
        let since = parse_time(filter.since.as_deref(), "From", false, &mut problems);
        let until = parse_time(filter.until.as_deref(), "Until", true, &mut problems);
        let user_id = self.user_filter(filter.user.as_deref(), &mut problems).await?;
        let client_id = match nonempty(&filter.application) {
            None => None,
            Some(app) => match self.application_id(app).await? {
                Some(id) => Some(id),
                None => {
                    problems.push(format!("There is no application '{app}'."));
                    None
                }
            },
        };
        check(problems)?;
        let query = SignInQuery {
            user_id,
            client_id,
            outcomes,
            since,
            until,
            before: filter.before,
            limit: filter.limit.clamp(1, 1000),
        };
        Ok(self.store.list_signins(&query).await?)
    }

    /// The id of the user a filter names (id, username or email); a problem if there is none.
    pub(super) async fn user_filter(
        &self,
        who: Option<&str>,
        problems: &mut Vec<String>,
    ) -> Result<Option<String>, AdminError> {
        let Some(who) = who.map(str::trim).filter(|w| !w.is_empty()) else { return Ok(None) };
        match self.store.find_user(who).await? {
            Some(user) => Ok(Some(user.id)),
            None => {
                problems.push(format!("There is no user '{who}'."));
                Ok(None)
            }
        }
    }

    /// The client id of an application named by id or by name (ignoring case).
    async fn application_id(&self, app: &str) -> Result<Option<String>, AdminError> {
        if let Some(client) = self.store.find_client(app).await? {
            return Ok(Some(client.client_id));
        }
        let clients = self.store.list_clients().await?;
        Ok(clients.into_iter().find(|c| c.name.eq_ignore_ascii_case(app)).map(|c| c.client_id))
    }
}

fn nonempty(value: &Option<String>) -> Option<&str> {
    value.as_deref().map(str::trim).filter(|v| !v.is_empty())
}

fn parse_outcomes(names: &[String], problems: &mut Vec<String>) -> Vec<SignInOutcome> {
    let mut outcomes = Vec::new();
    for name in names.iter().flat_map(|n| n.split(',')).map(str::trim).filter(|n| !n.is_empty()) {
        if name == "failures" {
            let failed = SignInOutcome::ALL.into_iter().filter(|o| o.failed());
            outcomes.extend(failed.filter(|o| !outcomes.contains(o)).collect::<Vec<_>>());
            continue;
        }
        match SignInOutcome::parse(name) {
            Some(outcome) if !outcomes.contains(&outcome) => outcomes.push(outcome),
            Some(_) => {}
            None => {
                let known: Vec<&str> = SignInOutcome::ALL.iter().map(|o| o.as_str()).collect();
                problems
                    .push(format!("'{name}' is not an outcome; use one of {}.", known.join(", ")));
            }
        }
    }
    outcomes
}

/// A bare date as an upper bound means the end of that day.
fn parse_time(
    text: Option<&str>,
    field: &str,
    end_of_day: bool,
    problems: &mut Vec<String>,
) -> Option<i64> {
    let text = text.map(str::trim).filter(|t| !t.is_empty())?;
    match parse_utc(text) {
        Some(at) if end_of_day && text.len() == 10 => Some(at + 86_400),
        Some(at) => Some(at),
        None => {
            problems.push(format!(
                "{field}: '{text}' is not a date; write 2026-12-01 or 2026-12-01T10:00 (UTC)."
            ));
            None
        }
    }
}
