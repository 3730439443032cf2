//! A tiny form-filling browser: enough to walk a provider's login and consent pages, whether
//! they are Keygate's or another provider's (e.g. `oidc-provider`'s development interactions).
//! It reads the form to submit (the one with a password field, else the first `post` form),
//! keeps its hidden fields, types the username and password into fields whose names say so,
//! and presses an "allow" button when the form has named buttons.

use anyhow::Context;

/// A form to submit: its absolute action URL and its fields.
#[derive(Debug)]
pub struct Form {
    pub action: String,
    pub fields: Vec<(String, String)>,
}

/// The form on `html` (served at `page_url`), filled in for `username` and `password`.
pub fn fill(html: &str, page_url: &str, username: &str, password: &str) -> anyhow::Result<Form> {
    let forms: Vec<&str> =
        html.split("<form").skip(1).map(|f| f.split("</form>").next().unwrap_or(f)).collect();
    let form = forms
        .iter()
        .find(|f| f.contains("type=\"password\""))
        .or_else(|| forms.iter().find(|f| f.to_ascii_lowercase().contains("method=\"post\"")))
        .with_context(|| format!("no form on {page_url}"))?;
    let head = form.split('>').next().unwrap_or_default();
    let action = attribute(head, "action").unwrap_or_default();
    let action = url::Url::parse(page_url)?.join(&action)?.to_string();
    let mut fields = Vec::new();
    let mut pressed = false;
    for tag in form.split('<').skip(1) {
        let tag = tag.split('>').next().unwrap_or_default();
        let Some(name) = attribute(tag, "name") else { continue };
        if tag.starts_with("input") {
            let value = match name.as_str() {
                "username" | "login" | "email" => username.to_owned(),
                "password" => password.to_owned(),
                _ => attribute(tag, "value").unwrap_or_default(),
            };
            fields.push((name, value));
        } else if tag.starts_with("button") && !pressed {
            let value = attribute(tag, "value").unwrap_or_default();
            if matches!(value.as_str(), "allow" | "accept" | "yes" | "logout") {
                fields.push((name, value));
                pressed = true;
            }
        }
    }
    Ok(Form { action, fields })
}

/// The unescaped value of `name="..."` in a tag.
fn attribute(tag: &str, name: &str) -> Option<String> {
    let needle = format!(" {name}=\"");
    let start = tag.find(&needle)? + needle.len();
    let end = tag[start..].find('"')? + start;
    Some(unescape(&tag[start..end]))
}

fn unescape(text: &str) -> String {
    text.replace("&#x2f;", "/")
        .replace("&#x27;", "'")
        .replace("&quot;", "\"")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fills_a_login_form_and_presses_allow_on_a_consent_form() {
        let login = r#"<form class="upstream" method="post" action="/up"></form>
            <form method="post" action="https://idp.example/login">
            <input type="hidden" name="csrf" value="a&amp;b"><input name="username" type="text">
            <input name="password" type="password"><button type="submit">Sign in</button></form>"#;
        let form = fill(login, "https://idp.example/login?req=1", "ada", "pw").ok();
        let form = form.map(|f| (f.action, f.fields));
        let expected = vec![
            ("csrf".to_owned(), "a&b".to_owned()),
            ("username".to_owned(), "ada".to_owned()),
            ("password".to_owned(), "pw".to_owned()),
        ];
        assert_eq!(form, Some(("https://idp.example/login".to_owned(), expected)));
        let consent = r#"<form method="post" action="/interaction/x"><input type="hidden" name="req" value="r">
            <button name="decision" value="deny">Deny</button><button name="decision" value="allow">Allow</button></form>"#;
        let form = fill(consent, "https://idp.example/interaction/x", "ada", "pw").ok();
        let fields = form.map(|f| (f.action, f.fields));
        let expected =
            vec![("req".to_owned(), "r".to_owned()), ("decision".to_owned(), "allow".to_owned())];
        assert_eq!(fields, Some(("https://idp.example/interaction/x".to_owned(), expected)));
    }
}
