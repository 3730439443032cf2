//! The messages' text: a subject, a plain-text body and an HTML body per kind of message,
//! rendered with minijinja. Operators override any file by putting one of the same name in
//! `[mail] templates_dir`; every template is parsed at start, so a broken one stops the start
//! (and `keygate config check`) with its file and line, never a request.

use std::path::Path;

use minijinja::{AutoEscape, Environment, Value};

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
    /// one. Every problem (unreadable file, syntax error with its line) is reported at once.
    pub fn load(dir: Option<&Path>) -> Result<Self, Vec<String>> {
        let mut env = Environment::new();
        env.set_auto_escape_callback(|name| {
            if name.ends_with(".html") { AutoEscape::Html } else { AutoEscape::None }
        });
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

    /// The built-in templates only.
    pub fn built_in() -> Self {
        // The built-in templates parse: `built_in_templates_parse` proves it.
        Self::load(None).unwrap_or_else(|_| Self { env: Environment::new() })
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

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn built_in_templates_parse() {
        assert!(MailTemplates::load(None).is_ok());
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
    fn an_override_replaces_one_file_and_a_broken_one_names_its_file_and_line() {
        let dir = std::env::temp_dir().join(format!("kg-mail-{}", crate::secret::random_id()));
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join("test.txt"), "Hello from {{ product }}.\n").unwrap();
        let templates = MailTemplates::load(Some(&dir)).unwrap();
        let context = minijinja::context! { product => "Acme ID", issuer => "https://id.example" };
        assert_eq!(
            templates.render("test", &context).unwrap().text.trim_end(),
            "Hello from Acme ID."
        );
        std::fs::write(dir.join("test.html"), "<p>\n{% if %}\n").unwrap();
        let problems = MailTemplates::load(Some(&dir)).unwrap_err();
        assert_eq!(problems.len(), 1, "{problems:?}");
        assert!(problems[0].contains("test.html line 2"), "{problems:?}");
        let _ = std::fs::remove_dir_all(&dir);
    }
}
