//! Limits on text that operators and registrants type: names and descriptions are shown on
//! login, consent and console pages, so they stay short enough for a phone screen.

/// The longest name (of an application, API, user or provider), in characters.
pub const MAX_NAME: usize = 100;
/// The longest description (of a scope), in characters.
pub const MAX_DESCRIPTION: usize = 500;

/// A problem if `value` has more than `max` characters, naming `what` in plain words.
pub fn too_long(what: &str, value: &str, max: usize) -> Option<String> {
    let length = value.chars().count();
    (length > max).then(|| format!("{what} must have at most {max} characters (it has {length})"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_longer_than_the_limit_are_refused_in_words() {
        assert_eq!(too_long("name", &"a".repeat(MAX_NAME), MAX_NAME), None);
        let problem = too_long("name", &"é".repeat(MAX_NAME + 1), MAX_NAME);
        assert_eq!(problem.as_deref(), Some("name must have at most 100 characters (it has 101)"));
    }
}
