//! The messages' text: a subject, a plain-text body and an HTML body per kind of message,
//! rendered with minijinja. Operators override any file by putting one of the same name in
//! `[mail] templates_dir`; every template is parsed at start, so a broken one stops the start
//! (and `keygate config check`) with its file and line, never a request.
//!
//! The words are the language catalogs' (`mail-*` messages, [`crate::i18n`]): templates call
//! `t("mail-reset-body", minutes=minutes)` in the message's language (`lang` in the context),
//! with `$product` from the context; values are HTML-escaped in the HTML part only.

use std::path::Path;
use std::sync::Arc;

use fluent_bundle::FluentArgs;
use minijinja::{AutoEscape, Environment, Value};

use crate::i18n::{Catalogs, fluent_value};

/// The kinds of message and their built-in templates: subject, text, HTML.
const BUILT_IN: &[(&str, [&str; 3])] = &[
    (
        "test",
        [
            include_str!("templates/test.subject.txt"),
            include_str!("templates/test.txt"),
            include_str!("templates/test.html"),
        ],
    ),
    (
        "password_reset",
        [
            include_str!("templates/password_reset.subject.txt"),
            include_str!("templates/password_reset.txt"),
            include_str!("templates/password_reset.html"),
        ],
    ),
    (
        "signup",
        [
            include_str!("templates/signup.subject.txt"),
            include_str!("templates/signup.txt"),
            include_str!("templates/signup.html"),
        ],
    ),
    (
        "verify_email",
        [
            include_str!("templates/verify_email.subject.txt"),
            include_str!("templates/verify_email.txt"),
            include_str!("templates/verify_email.html"),
        ],
    ),
    (
        "invite",
        [
            include_str!("templates/invite.subject.txt"),
            include_str!("templates/invite.txt"),
            include_str!("templates/invite.html"),
        ],
    ),
    (
        "change_email",
        [
            include_str!("templates/change_email.subject.txt"),
            include_str!("templates/change_email.txt"),
            include_str!("templates/change_email.html"),
        ],
    ),
    (
        "email_changed",
        [
            include_str!("templates/email_changed.subject.txt"),
            include_str!("templates/email_changed.txt"),
            include_str!("templates/email_changed.html"),
        ],
    ),
    (
        "signup_exists",
        [
            include_str!("templates/signup_exists.subject.txt"),
            include_str!("templates/signup_exists.txt"),
            include_str!("templates/signup_exists.html"),
        ],
    ),
    (
        "password_changed",
        [
            include_str!("templates/password_changed.subject.txt"),
            include_str!("templates/password_changed.txt"),
            include_str!("templates/password_changed.html"),
        ],
    ),
];

/// The three parts of each kind, as file name suffixes.
const PARTS: [&str; 3] = ["subject.txt", "txt", "html"];

/// A rendered message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rendered {
    /// Subject line (one line).
    pub subject: String,
    /// Plain-text body.
    pub text: String,
    /// HTML body.
    pub html: String,
}

/// The parsed templates.
pub struct MailTemplates {
    env: Environment<'static>,
}

impl std::fmt::Debug for MailTemplates {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("MailTemplates")
    }
}

impl MailTemplates {
    /// The built-in templates, each replaced by a file of the same name in `dir` when there is
    /// one, speaking the languages of `catalogs`. Every problem (unreadable file, syntax error
    /// with its line) is reported at once.
    pub fn load(dir: Option<&Path>, catalogs: Arc<Catalogs>) -> Result<Self, Vec<String>> {
        let mut env = Environment::new();
        env.set_auto_escape_callback(|name| {
            if name.ends_with(".html") { AutoEscape::Html } else { AutoEscape::None }
        });
        env.add_function("t", translator(catalogs));
        let mut problems = Vec::new();
        for (kind, sources) in BUILT_IN {
            for (part, source) in PARTS.iter().zip(sources) {
                let name = format!("{kind}.{part}");
                let source = match dir.map(|d| d.join(&name)).filter(|p| p.exists()) {
                    Some(path) => match std::fs::read_to_string(&path) {
                        Ok(text) => text,
                        Err(e) => {
                            problems.push(format!("{}: {e}", path.display()));
                            continue;
                        }
                    },
                    None => (*source).to_owned(),
                };
                if let Err(e) = env.add_template_owned(name.clone(), source) {
                    let line = e.line().map(|l| format!(" line {l}")).unwrap_or_default();
                    let place = dir.map_or(name.clone(), |d| d.join(&name).display().to_string());
                    problems.push(format!("mail template {place}{line}: {}", e.kind()));
                }
            }
        }
        if problems.is_empty() { Ok(Self { env }) } else { Err(problems) }
    }

    /// The built-in templates and catalogs only.
    pub fn built_in() -> Self {
        // The built-in templates and catalogs parse: `built_in_templates_parse` proves it.
        let catalogs = Catalogs::load(None).map(Arc::new);
        catalogs
            .map_err(|e| vec![e.to_string()])
            .and_then(|c| Self::load(None, c))
            .unwrap_or_else(|_| Self { env: Environment::new() })
    }

    /// Renders a message of `kind` with `context`.
    pub fn render(&self, kind: &str, context: &Value) -> anyhow::Result<Rendered> {
        let part = |suffix: &str| -> anyhow::Result<String> {
            let template = self.env.get_template(&format!("{kind}.{suffix}"))?;
            Ok(template.render(context)?)
        };
        let subject = part("subject.txt")?;
        Ok(Rendered {
            // A header is one line (RFC 5322 §2.2): no line break may come from a template.
            subject: subject.split_whitespace().collect::<Vec<_>>().join(" "),
            text: part("txt")?,
            html: part("html")?,
        })
    }

    /// The names of the kinds of message.
    pub fn kinds() -> impl Iterator<Item = &'static str> {
        BUILT_IN.iter().map(|(kind, _)| *kind)
    }
}

/// The templates' `t()`: message `id` in the message's language (`lang`), `$product` from the
/// context, values escaped only in HTML parts.
fn translator(
    catalogs: Arc<Catalogs>,
) -> impl Fn(&minijinja::State, String, minijinja::value::Kwargs) -> Result<Value, minijinja::Error>
+ Send
+ Sync
+ 'static {
    move |state, id, kwargs| {
        let html = !matches!(state.auto_escape(), AutoEscape::None);
        let lang = state.lookup("lang");
        let catalog = lang.as_ref().and_then(|l| l.as_str()).and_then(|l| catalogs.get(l));
        let catalog = catalog.unwrap_or(catalogs.english());
        let mut args = FluentArgs::new();
        if let Some(product) = state.lookup("product") {
            args.set("product", fluent_value(&product, html));
        }
        for name in kwargs.args() {
            let value: Value = kwargs.get(name)?;
            args.set(name.to_owned(), fluent_value(&value, html));
        }
        let text = catalogs.message(catalog, &id, &args);
        Ok(if html { Value::from_safe_string(text) } else { Value::from(text) })
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn catalogs() -> Arc<Catalogs> {
        Arc::new(Catalogs::load(None).unwrap())
    }

    #[test]
    fn built_in_templates_parse() {
        assert!(MailTemplates::load(None, catalogs()).is_ok());
    }

    #[test]
    fn html_parts_escape_and_subjects_are_one_line() {
        let templates = MailTemplates::built_in();
        let context = minijinja::context! {
            product => "Keygate", issuer => "https://id.example",
            link => "https://id.example/reset?token=a&b=<c>", username => "ann\nBcc: x", minutes => 30,
        };
        let rendered = templates.render("password_reset", &context).unwrap();
        assert!(rendered.html.contains("a&amp;b=&lt;c&gt;"), "{}", rendered.html);
        assert!(!rendered.subject.contains('\n'));
        assert!(rendered.text.contains("https://id.example/reset?token=a&b=<c>"));
    }

    #[test]
    fn every_message_is_written_in_its_language_with_values_escaped_only_in_html() {
        let templates = MailTemplates::built_in();
        let context = minijinja::context! {
            product => "Acme & Co", issuer => "https://id.example", lang => "de", dir => "ltr",
            link => "https://id.example/reset?token=t", username => "<ann>", minutes => 30,
        };
        let rendered = templates.render("password_reset", &context).unwrap();
        assert_eq!(rendered.subject, "Setzen Sie Ihr Acme & Co-Passwort zurück");
        assert!(rendered.text.starts_with("Hallo <ann>,"), "{}", rendered.text);
        assert!(rendered.text.contains("innerhalb von 30 Minuten"), "{}", rendered.text);
        assert!(rendered.html.contains("Hallo &lt;ann&gt;,"), "{}", rendered.html);
        assert!(rendered.html.contains("Acme &amp; Co"), "{}", rendered.html);
        for kind in MailTemplates::kinds() {
            let rendered = templates.render(kind, &context).unwrap();
            assert!(
                !rendered.text.contains("mail-"),
                "{kind}: an id, not words: {}",
                rendered.text
            );
        }
    }

    #[test]
    fn an_override_replaces_one_file_and_a_broken_one_names_its_file_and_line() {
        let dir = std::env::temp_dir().join(format!("kg-mail-{}", crate::secret::random_id()));
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join("test.txt"), "Hello from {{ product }}.\n").unwrap();
        let templates = MailTemplates::load(Some(&dir), catalogs()).unwrap();
        let context = minijinja::context! { product => "Acme ID", issuer => "https://id.example" };
        assert_eq!(
            templates.render("test", &context).unwrap().text.trim_end(),
            "Hello from Acme ID."
        );
        std::fs::write(dir.join("test.html"), "<p>\n{% if %}\n").unwrap();
        let problems = MailTemplates::load(Some(&dir), catalogs()).unwrap_err();
        assert_eq!(problems.len(), 1, "{problems:?}");
        assert!(problems[0].contains("test.html line 2"), "{problems:?}");
        let _ = std::fs::remove_dir_all(&dir);
    }
}
