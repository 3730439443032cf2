//! Keygate's languages: Project Fluent catalogs, one per language, shared by the end-user
//! pages and the emails. Built in for English (the reference), German, French, Spanish,
//! Portuguese (Brazil), Japanese and Arabic (`i18n/locales/{tag}.ftl`); an operator's folder
//! (`[ui] locales_dir`) adds languages and overrides messages without a rebuild. A message a
//! catalog lacks comes from English.

use std::collections::{BTreeSet, HashMap};
use std::path::Path;

use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource, FluentValue};
use unic_langid::LanguageIdentifier;

/// The most language tags read from `ui_locales` or `Accept-Language`.
pub const MAX_TAGS: usize = 16;

/// The built-in catalogs: English first, the reference.
const BUILT_IN: [(&str, &str); 7] = [
    ("en", include_str!("i18n/locales/en.ftl")),
    ("de", include_str!("i18n/locales/de.ftl")),
    ("fr", include_str!("i18n/locales/fr.ftl")),
    ("es", include_str!("i18n/locales/es.ftl")),
    ("pt-BR", include_str!("i18n/locales/pt-BR.ftl")),
    ("ja", include_str!("i18n/locales/ja.ftl")),
    ("ar", include_str!("i18n/locales/ar.ftl")),
];

/// Scripts written right to left, by primary language subtag.
const RIGHT_TO_LEFT: [&str; 6] = ["ar", "fa", "he", "ur", "ps", "yi"];

/// One language's messages.
pub struct Catalog {
    /// The BCP 47 tag, as in `lang` attributes and `ui_locales_supported`.
    pub tag: String,
    id: LanguageIdentifier,
    bundle: FluentBundle<FluentResource>,
    /// Its messages' ids, each with the variables it uses.
    ids: Vec<(String, BTreeSet<String>)>,
    /// The language's own name, formatted once.
    name: String,
}

impl Catalog {
    /// `rtl` or `ltr`, for the `dir` attribute.
    pub fn direction(&self) -> &'static str {
        if RIGHT_TO_LEFT.contains(&self.id.language.as_str()) { "rtl" } else { "ltr" }
    }

    /// The language's own name (its `language-name` message).
    pub fn name(&self) -> &str {
        &self.name
    }

    fn format(&self, id: &str, args: Option<&FluentArgs>) -> Option<String> {
        let pattern = self.bundle.get_message(id)?.value()?;
        let mut errors = Vec::new();
        let text = self.bundle.format_pattern(pattern, args, &mut errors);
        if !errors.is_empty() {
            tracing::warn!(language = %self.tag, message = id, ?errors, "a message did not format cleanly");
        }
        Some(text.into_owned())
    }
}

/// Every language Keygate speaks.
pub struct Catalogs {
    /// English first.
    list: Vec<Catalog>,
    /// `text-*` message ids by their English text ([`Catalogs::translate`]).
    by_english: HashMap<String, String>,
    /// `text-*` messages with variables, as English shows them ([`Catalogs::translate`]).
    patterns: Vec<Pattern>,
}

impl std::fmt::Debug for Catalogs {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_list().entries(self.list.iter().map(|c| &c.tag)).finish()
    }
}

impl Catalogs {
    /// The built-in catalogs plus, from `dir`, one `{tag}.ftl` per language: a new language,
    /// or messages that replace built-in ones. A file that does not parse is an error naming
    /// it and the line.
    pub fn load(dir: Option<&Path>) -> anyhow::Result<Self> {
        let mut sources: Vec<(String, String, String)> = BUILT_IN
            .iter()
            .map(|(tag, text)| {
                ((*tag).to_owned(), format!("built-in {tag}.ftl"), (*text).to_owned())
            })
            .collect();
        if let Some(dir) = dir {
            let mut files: Vec<_> = std::fs::read_dir(dir)
                .map_err(|e| anyhow::anyhow!("ui.locales_dir {}: {e}", dir.display()))?
                .filter_map(Result::ok)
                .map(|e| e.path())
                .filter(|p| p.extension().is_some_and(|x| x == "ftl"))
                .collect();
            files.sort();
            for path in files {
                let tag = path.file_stem().and_then(|s| s.to_str()).unwrap_or_default().to_owned();
                let text = std::fs::read_to_string(&path)
                    .map_err(|e| anyhow::anyhow!("{}: {e}", path.display()))?;
                sources.push((tag, path.display().to_string(), text));
            }
        }
        let mut list: Vec<Catalog> = Vec::new();
        for (tag, origin, text) in sources {
            let resource = parse(&origin, text)?;
            let ids = message_variables(&resource);
            let id: LanguageIdentifier = tag
                .replace('_', "-")
                .parse()
                .map_err(|_| anyhow::anyhow!("{origin}: '{tag}' is not a language tag"))?;
            match list.iter_mut().find(|c| c.id == id) {
                Some(catalog) => {
                    catalog.bundle.add_resource_overriding(resource);
                    for (message, vars) in ids {
                        catalog.ids.retain(|(m, _)| *m != message);
                        catalog.ids.push((message, vars));
                    }
                }
                None => {
                    let mut bundle = FluentBundle::new_concurrent(vec![id.clone()]);
                    bundle.set_use_isolating(false);
                    bundle
                        .add_resource(resource)
                        .map_err(|e| anyhow::anyhow!("{origin}: {e:?}"))?;
                    list.push(Catalog {
                        tag: id.to_string(),
                        id,
                        bundle,
                        ids,
                        name: String::new(),
                    });
                }
            }
        }
        for catalog in &mut list {
            catalog.name =
                catalog.format("language-name", None).unwrap_or_else(|| catalog.tag.clone());
        }
        let mut catalogs = Self { list, by_english: Default::default(), patterns: Vec::new() };
        let english = catalogs.english();
        let texts = english.ids.iter().filter(|(id, _)| id.starts_with("text-"));
        let (plain, with_values): (Vec<_>, Vec<_>) = texts.partition(|(_, vars)| vars.is_empty());
        let by_english = plain
            .into_iter()
            .filter_map(|(id, _)| english.format(id, None).map(|text| (text, id.clone())))
            .collect();
        let patterns =
            with_values.into_iter().filter_map(|(id, vars)| Pattern::of(english, id, vars));
        let patterns = patterns.collect();
        catalogs.by_english = by_english;
        catalogs.patterns = patterns;
        Ok(catalogs)
    }

    /// A text made in code, in `catalog`'s language when a message has exactly these English
    /// words (the `text-*` messages), else as it is: fixed texts of error pages and notices
    /// are translated by adding a message, without touching the code that makes them.
    ///
    /// A text made with values matches a message with variables where the message's words
    /// stand around them (`the password must have at least { $min } characters`): the values
    /// are carried over, numbers as numbers for the plural rules. A problem written
    /// `field: words` is translated in its two halves.
    pub fn translate(&self, catalog: &Catalog, text: &str) -> String {
        self.translated(catalog, text)
            .or_else(|| {
                let (field, words) = text.split_once(": ")?;
                let words = self.translated(catalog, words)?;
                let field = self.translated(catalog, field).unwrap_or_else(|| field.to_owned());
                Some(format!("{field}: {words}"))
            })
            .unwrap_or_else(|| text.to_owned())
    }

    fn translated(&self, catalog: &Catalog, text: &str) -> Option<String> {
        if let Some(id) = self.by_english.get(text) {
            return Some(self.message(catalog, id, &FluentArgs::new()));
        }
        self.patterns.iter().find_map(|pattern| {
            let values = pattern.capture(text)?;
            let mut args = FluentArgs::new();
            for (name, value) in values {
                match value.parse::<i64>() {
                    Ok(n) => args.set(name, n),
                    Err(_) => args.set(name, value.to_owned()),
                }
            }
            Some(self.message(catalog, &pattern.id, &args))
        })
    }

    /// The tags of every language, English first (discovery's `ui_locales_supported`).
    pub fn tags(&self) -> Vec<String> {
        self.list.iter().map(|c| c.tag.clone()).collect()
    }

    /// Every catalog, English first.
    pub fn all(&self) -> &[Catalog] {
        &self.list
    }

    /// English, the reference.
    pub fn english(&self) -> &Catalog {
        &self.list[0]
    }

    /// The catalog for `tag` exactly (ignoring case), if Keygate has it.
    pub fn get(&self, tag: &str) -> Option<&Catalog> {
        self.list.iter().find(|c| c.tag.eq_ignore_ascii_case(tag))
    }

    /// The catalog that best serves `wanted` ([`lookup`]).
    pub fn best(&self, wanted: &[LanguageIdentifier]) -> Option<&Catalog> {
        let available: Vec<&LanguageIdentifier> = self.list.iter().map(|c| &c.id).collect();
        self.list.get(best_of(wanted, &available)?)
    }

    /// Message `id` in `catalog` (else in English, else the id itself) with `args`.
    pub fn message(&self, catalog: &Catalog, id: &str, args: &FluentArgs) -> String {
        catalog
            .format(id, Some(args))
            .or_else(|| self.english().format(id, Some(args)))
            .unwrap_or_else(|| {
                tracing::warn!(message = id, "no catalog has this message");
                minijinja::HtmlEscape(id).to_string()
            })
    }

    /// How each catalog differs from English.
    pub fn differences(&self) -> Vec<Difference> {
        let english: HashMap<&str, &BTreeSet<String>> =
            self.english().ids.iter().map(|(id, vars)| (id.as_str(), vars)).collect();
        let mut found = Vec::new();
        for catalog in &self.list[1..] {
            let own: HashMap<&str, &BTreeSet<String>> =
                catalog.ids.iter().map(|(id, vars)| (id.as_str(), vars)).collect();
            let missing = sorted(english.keys().filter(|id| !own.contains_key(*id)));
            let extra = sorted(own.keys().filter(|id| !english.contains_key(*id)));
            let variables = sorted(
                own.iter()
                    .filter(|(id, v)| english.get(*id).is_some_and(|e| e != *v))
                    .map(|(id, _)| id),
            );
            if !(missing.is_empty() && extra.is_empty() && variables.is_empty()) {
                found.push(Difference { tag: catalog.tag.clone(), missing, extra, variables });
            }
        }
        found
    }
}

/// A `text-*` message with variables as English shows it: the words between its values.
#[derive(Debug)]
struct Pattern {
    id: String,
    /// One more than `names`: the words before, between and after the values.
    pieces: Vec<String>,
    names: Vec<String>,
}

/// Marks a variable's place when English is formatted to learn a pattern.
const MARK: char = '\u{E000}';

impl Pattern {
    /// The pattern of message `id` of `english`, whose variables are `vars`; `None` when two
    /// values would touch (no words to tell where one ends).
    fn of(english: &Catalog, id: &str, vars: &BTreeSet<String>) -> Option<Self> {
        let mut args = FluentArgs::new();
        for name in vars {
            args.set(name.clone(), format!("{MARK}{name}{MARK}"));
        }
        let shown = english.format(id, Some(&args))?;
        let mut parts = shown.split(MARK);
        let mut pieces = vec![parts.next()?.to_owned()];
        let mut names = Vec::new();
        while let Some(name) = parts.next() {
            names.push(name.to_owned());
            pieces.push(parts.next()?.to_owned());
        }
        let touching = pieces[1..pieces.len() - 1].iter().any(String::is_empty);
        (!names.is_empty() && !touching).then(|| Self { id: id.to_owned(), pieces, names })
    }

    /// The values `text` has in this pattern's places, if it has the pattern's words.
    fn capture<'t>(&self, text: &'t str) -> Option<Vec<(String, &'t str)>> {
        let mut rest = text.strip_prefix(self.pieces[0].as_str())?;
        let last = self.pieces.last()?;
        rest = rest.strip_suffix(last.as_str())?;
        let mut values = Vec::new();
        for (i, name) in self.names.iter().enumerate() {
            let value = if i + 1 == self.names.len() {
                std::mem::take(&mut rest)
            } else {
                let next = &self.pieces[i + 1];
                let at = rest.find(next.as_str())?;
                let value = &rest[..at];
                rest = &rest[at + next.len()..];
                value
            };
            if value.is_empty() {
                return None;
            }
            values.push((name.clone(), value));
        }
        Some(values)
    }
}

/// How a catalog differs from English.
#[derive(Debug)]
pub struct Difference {
    /// The catalog's language.
    pub tag: String,
    /// Messages English has and it lacks.
    pub missing: Vec<String>,
    /// Messages it has and English does not.
    pub extra: Vec<String>,
    /// Messages whose variables are not English's.
    pub variables: Vec<String>,
}

fn sorted<'a>(ids: impl Iterator<Item = &'a &'a str>) -> Vec<String> {
    let mut list: Vec<String> = ids.map(|id| (*id).to_owned()).collect();
    list.sort();
    list
}

/// Parses a catalog; a syntax error names the file and the line.
fn parse(origin: &str, text: String) -> anyhow::Result<FluentResource> {
    let source = text.clone();
    FluentResource::try_new(text).map_err(|(_, errors)| {
        let first = errors.first().map(|e| {
            let before = &source.as_bytes()[..e.pos.start.min(source.len())];
            let line = before.iter().filter(|b| **b == b'\n').count() + 1;
            format!("line {line}: {:?}", e.kind)
        });
        anyhow::anyhow!("{origin}: {}", first.unwrap_or_default())
    })
}

/// The messages of `resource`, each with the variables it uses.
fn message_variables(resource: &FluentResource) -> Vec<(String, BTreeSet<String>)> {
    use fluent_syntax::ast::Entry;
    resource
        .entries()
        .filter_map(|entry| match entry {
            Entry::Message(m) => {
                let mut vars = BTreeSet::new();
                if let Some(pattern) = &m.value {
                    pattern_variables(pattern, &mut vars);
                }
                Some((m.id.name.to_owned(), vars))
            }
            _ => None,
        })
        .collect()
}

fn pattern_variables(pattern: &fluent_syntax::ast::Pattern<&str>, vars: &mut BTreeSet<String>) {
    for element in &pattern.elements {
        if let fluent_syntax::ast::PatternElement::Placeable { expression } = element {
            expression_variables(expression, vars);
        }
    }
}

fn expression_variables(
    expression: &fluent_syntax::ast::Expression<&str>,
    vars: &mut BTreeSet<String>,
) {
    use fluent_syntax::ast::{Expression, InlineExpression};
    let inline = |e: &InlineExpression<&str>, vars: &mut BTreeSet<String>| match e {
        InlineExpression::VariableReference { id } => {
            vars.insert(id.name.to_owned());
        }
        InlineExpression::Placeable { expression } => expression_variables(expression, vars),
        _ => {}
    };
    match expression {
        Expression::Inline(e) => inline(e, vars),
        Expression::Select { selector, variants } => {
            inline(selector, vars);
            for variant in variants {
                pattern_variables(&variant.value, vars);
            }
        }
    }
}

/// RFC 4647 §3.4 lookup, the one way Keygate matches languages (catalogs, an API's scope
/// words): of `available` `(tag, value)` pairs, the value whose tag best serves `wanted`, best
/// first: the same tag, else the same language with less or other detail (`pt` for `pt-BR`,
/// `de-DE` for `de`). Tags that are not language tags are never chosen.
pub fn lookup<'a, T>(
    wanted: &[LanguageIdentifier],
    available: impl IntoIterator<Item = (&'a str, T)>,
) -> Option<T> {
    let (ids, values): (Vec<LanguageIdentifier>, Vec<T>) =
        available.into_iter().filter_map(|(tag, v)| Some((language_tag(tag)?, v))).unzip();
    let index = best_of(wanted, &ids.iter().collect::<Vec<_>>())?;
    values.into_iter().nth(index)
}

/// The position in `available` of the language that best serves `wanted` (RFC 4647 lookup).
fn best_of(wanted: &[LanguageIdentifier], available: &[&LanguageIdentifier]) -> Option<usize> {
    let chosen = fluent_langneg::negotiate_languages(
        wanted,
        available,
        None,
        fluent_langneg::NegotiationStrategy::Lookup,
    );
    let chosen = chosen.first()?;
    available.iter().position(|id| id == *chosen)
}

/// A BCP 47 tag as a language: extensions (`-u-`, `-t-`, `-x-`) are cut off, so that
/// `de-DE-u-co-phonebk` still means German (RFC 4647 §3.4).
pub fn language_tag(tag: &str) -> Option<LanguageIdentifier> {
    let lower = tag.to_ascii_lowercase();
    let cut = ["-u-", "-t-", "-x-"].iter().filter_map(|x| lower.find(x)).min();
    tag[..cut.unwrap_or(tag.len())].parse().ok()
}

/// A template value as a Fluent argument: numbers stay numbers (plural rules); text is
/// HTML-escaped when `escape` (an HTML template) unless the template marked it safe.
pub fn fluent_value(value: &minijinja::Value, escape: bool) -> FluentValue<'static> {
    if let Some(n) = value.as_i64() {
        return FluentValue::from(n);
    }
    let text = value.to_string();
    if value.is_safe() || !escape {
        FluentValue::from(text)
    } else {
        FluentValue::from(minijinja::HtmlEscape(&text).to_string())
    }
}

tokio::task_local! {
    /// The languages the request being served asks for, best first (the language picked on a
    /// page, then `Accept-Language`): what an email a user's own request sends is written in
    /// when the user has no `locale`.
    static REQUESTED: Vec<String>;
}

/// Runs `f` with `languages` as the request's languages ([`requested`]).
pub async fn speaking<F: std::future::Future>(languages: Vec<String>, f: F) -> F::Output {
    REQUESTED.scope(languages, f).await
}

/// The languages the request being served asks for, best first; none outside a request.
pub fn requested() -> Vec<String> {
    REQUESTED.try_with(Clone::clone).unwrap_or_default()
}

impl Catalogs {
    /// The tag of the language the current request asks for, if Keygate speaks one.
    pub fn requested_language(&self) -> Option<String> {
        self.requested_catalog().map(|c| c.tag.clone())
    }

    /// The catalog of the language the current request asks for, if Keygate speaks one.
    fn requested_catalog(&self) -> Option<&Catalog> {
        let wanted: Vec<_> =
            requested().iter().take(MAX_TAGS).filter_map(|t| language_tag(t)).collect();
        self.best(&wanted)
    }

    /// The language of an email to someone whose `locale` claim (OIDC Core §5.1) is `locale`:
    /// that language if Keygate speaks it, else the one the current request asks for, else
    /// English.
    pub fn for_mail(&self, locale: Option<&str>) -> &Catalog {
        let from_locale = locale.and_then(language_tag).and_then(|id| self.best(&[id]));
        from_locale.or_else(|| self.requested_catalog()).unwrap_or(self.english())
    }
}
