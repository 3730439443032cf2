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
}

impl Catalog {
    /// `rtl` or `ltr`, for the `dir` attribute.
    pub fn direction(&self) -> &'static str {
        if RIGHT_TO_LEFT.contains(&self.id.language.as_str()) { "rtl" } else { "ltr" }
    }

    /// The language's own name (its `language-name` message).
    pub fn name(&self) -> String {
        self.format("language-name", None).unwrap_or_else(|| self.tag.clone())
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
                    list.push(Catalog { tag: id.to_string(), id, bundle, ids });
                }
            }
        }
        let mut catalogs = Self { list, by_english: Default::default() };
        let english = catalogs.english();
        let by_english = english
            .ids
            .iter()
            .filter(|(id, _)| id.starts_with("text-"))
            .filter_map(|(id, _)| english.format(id, None).map(|text| (text, id.clone())))
            .collect();
        catalogs.by_english = by_english;
        Ok(catalogs)
    }

    /// A text made in code, in `catalog`'s language when a message has exactly these English
    /// words (the `text-*` messages), else as it is: fixed texts of error pages and notices
    /// are translated by adding a message, without touching the code that makes them.
    pub fn translate(&self, catalog: &Catalog, text: &str) -> String {
        match self.by_english.get(text) {
            Some(id) => self.message(catalog, id, &FluentArgs::new()),
            None => text.to_owned(),
        }
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

    /// RFC 4647 lookup-style matching: an exact tag, then the same language in any region.
    pub fn best(&self, wanted: &[LanguageIdentifier]) -> Option<&Catalog> {
        let available: Vec<&LanguageIdentifier> = self.list.iter().map(|c| &c.id).collect();
        let chosen = fluent_langneg::negotiate_languages(
            wanted,
            &available,
            None,
            fluent_langneg::NegotiationStrategy::Lookup,
        );
        let chosen = chosen.first()?;
        self.list.iter().find(|c| c.id == ***chosen)
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
