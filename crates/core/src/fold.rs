//! How names are compared: the one folding of a name into the key that searches and
//! duplicate hints compare.
//!
//! Colleagues type names as they heard or read them: "Müßig" as "Muessig" or "Mussig",
//! "Özdemir" as "Oezdemir" or "Ozdemir", "Şahin" as "Sahin", "Jiří" as "Jiri". [`fold_name`]
//! maps every such spelling of a name to one key, so that [`name_words`](crate::ports::name_words)
//! (name searches, storage's `case_name_words`) and
//! [`duplicate_match`](crate::referral::duplicate_match) (storage's `case_clients.name_key`)
//! treat them as one name.
//!
//! # Why a table here and not a crate
//! Core's run-time dependencies are a fixed list (serde, thiserror, chrono, uuid,
//! async-trait; `tests/it/tidy.rs`), so the folding cannot call `deunicode` or
//! `unicode-normalization` at run time. It uses a table instead: for the Latin letters of
//! Latin-1, Latin Extended-A and -B and Latin Extended Additional (U+00C0–U+024F,
//! U+1E00–U+1EFF), the base letter of each letter's canonical decomposition (é = e + ◌́,
//! ş = s + ◌̧, ř, ő, ș, ạ, ễ …), plus a short list for the letters that have none (ß, æ, ø,
//! ł, ı, đ, ð, þ, œ, ħ …). The unit tests check the table against `unicode-normalization`
//! (a dev-dependency, the crate SQLx's PostgreSQL driver already uses) for every code point
//! of those ranges, so the table is Unicode's decomposition, not a guess. We did not take
//! `deunicode` even as a reference: it transliterates every script (CJK, emoji) into ASCII,
//! which is more than a name key needs, and its rules are not Unicode's.

/// Folds a name into the key names are compared by.
///
/// The rule, applied character by character:
/// 1. lower case (`char::to_lowercase`);
/// 2. a Latin letter with accent marks becomes its base letter (é → e, ş → s, ç → c,
///    ř → r, å → a, ä → a, ö → o, ü → u); combining marks typed separately are dropped;
/// 3. letters without a decomposition are spelled in ASCII: ß → ss, æ → ae, œ → oe,
///    ø → o, ł → l, ı → i, đ and ð → d, þ → th, ħ → h;
/// 4. an `e` right after `a`, `o` or `u` is dropped, so the German spellings ae, oe and ue
///    of ä, ö and ü fold like the umlauts themselves: "Muessig", "Mussig" and "Müßig" are
///    all `mussig`;
/// 5. white space is trimmed at both ends and collapsed to one space inside.
///
/// Everything else (digits, hyphens, commas, other scripts) stays as it is.
///
/// The key is for comparing, never for showing: rule 4 also folds "Michael" and "Michal"
/// together, which makes a search find both and a duplicate hint (which also needs the same
/// birth date or postcode) ask one more question, and nothing worse.
/// Folding is idempotent, and because each character's output depends only on the
/// characters before it, the fold of a prefix of a name is a prefix of the fold of the
/// name: a name search may compare typed beginnings with folded words.
///
/// ```
/// use wegbereiter_core::referral::fold_name;
/// assert_eq!(fold_name("Müßig"), "mussig");
/// assert_eq!(fold_name("Muessig"), "mussig");
/// assert_eq!(fold_name("MUSSIG"), "mussig");
/// assert_eq!(fold_name("Özdemir"), fold_name("Oezdemir"));
/// assert_eq!(fold_name("Ozdemir"), fold_name("Oezdemir"));
/// assert_eq!(fold_name("Şahin"), "sahin");
/// assert_eq!(fold_name("Yıldız"), "yildiz");
/// assert_eq!(fold_name("  Müller-Lüdenscheidt,   Jürgen "), "muller-ludenscheidt, jurgen");
/// assert_eq!(fold_name("Jiří Dvořák"), "jiri dvorak");
/// assert_eq!(fold_name("Łukasz Søndergård"), "lukasz sondergard");
/// ```
#[must_use]
pub fn fold_name(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    let mut last: Option<char> = None;
    let mut push = |c: char, out: &mut String| {
        if c.is_whitespace() {
            // Collapsed; trimmed at the start here and at the end below.
            if last.is_some_and(|l| l != ' ') {
                out.push(' ');
                last = Some(' ');
            }
            return;
        }
        if c == 'e' && matches!(last, Some('a' | 'o' | 'u')) {
            return;
        }
        out.push(c);
        last = Some(c);
    };
    for c in name.chars().flat_map(char::to_lowercase) {
        match spelled(c) {
            Some(ascii) => ascii.chars().for_each(|a| push(a, &mut out)),
            None if is_combining_mark(c) => {}
            None => push(base_letter(c).unwrap_or(c), &mut out),
        }
    }
    if out.ends_with(' ') {
        out.pop();
    }
    out
}

/// Lower-case letters without a canonical decomposition, spelled in ASCII (and the few
/// whose decomposition starts with such a letter: ǣ, ǽ, ǿ).
fn spelled(c: char) -> Option<&'static str> {
    Some(match c {
        'ß' => "ss",
        'æ' | 'ǣ' | 'ǽ' => "ae",
        'œ' => "oe",
        'ø' | 'ǿ' => "o",
        'ł' | 'ŀ' | 'ƚ' => "l",
        'ı' => "i",
        'đ' | 'ð' => "d",
        'þ' => "th",
        'ħ' => "h",
        'ŧ' => "t",
        'ŋ' | 'ŉ' => "n",
        'ĸ' => "k",
        'ſ' => "s",
        'ĳ' => "ij",
        'ƀ' => "b",
        'ƒ' => "f",
        'ǆ' | 'ǳ' => "dz",
        'ǉ' => "lj",
        'ǌ' => "nj",
        'ȷ' => "j",
        _ => return None,
    })
}

/// The combining diacritical marks (U+0300–U+036F): accents typed as separate characters,
/// as some keyboards and copied texts do ("e" followed by U+0301).
fn is_combining_mark(c: char) -> bool {
    ('\u{300}'..='\u{36f}').contains(&c)
}

/// The base letters of U+00C0–U+024F, one byte per code point; `.` where the letter has no
/// canonical decomposition into an ASCII letter and combining marks.
const LATIN_1_AND_EXTENDED: &[u8; 400] = b"\
aaaaaa.ceeeeiiii.nooooo..uuuuy..aaaaaa.ceeeeiiii.nooooo..uuuuy.y\
aaaaaaccccccccdd..eeeeeeeeeegggggggghh..iiiiiiiii...jjkk.llllll.\
...nnnnnn...oooooo..rrrrrrsssssssstttt..uuuuuuuuuuuuwwyyyzzzzzz.\
................................oo.............uu...............\
.............aaiioouuuuuuuuuu.aaaa....ggkkoooo..j...gg..nnaa....\
aaaaeeeeiiiioooorrrruuuusstt..hh......aaeeooooooooyy............\
................";

/// The base letters of U+1E00–U+1EFF (Latin Extended Additional: Vietnamese, Welsh, …), as
/// [`LATIN_1_AND_EXTENDED`].
const LATIN_EXTENDED_ADDITIONAL: &[u8; 256] = b"\
aabbbbbbccddddddddddeeeeeeeeeeffgghhhhhhhhhhiiiikkkkkkllllllllmm\
mmmmnnnnnnnnoooooooopppprrrrrrrrssssssssssttttttttuuuuuuuuuuvvvv\
wwwwwwwwwwxxxxyyzzzzzzhtwy......aaaaaaaaaaaaaaaaaaaaaaaaeeeeeeee\
eeeeeeeeiiiioooooooooooooooooooooooouuuuuuuuuuuuuuyyyyyyyy......";

/// The base letter of a Latin letter with accent marks, from the tables.
fn base_letter(c: char) -> Option<char> {
    let code = u32::from(c);
    let (table, start): (&[u8], u32) = match code {
        0xC0..=0x24F => (LATIN_1_AND_EXTENDED, 0xC0),
        0x1E00..=0x1EFF => (LATIN_EXTENDED_ADDITIONAL, 0x1E00),
        _ => return None,
    };
    let index = usize::try_from(code - start).ok()?;
    match table.get(index) {
        Some(b'.') | None => None,
        Some(b) => Some(char::from(*b)),
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use proptest::prelude::*;
    use unicode_normalization::UnicodeNormalization;
    use unicode_normalization::char::is_combining_mark as unicode_combining;

    /// What Unicode's canonical decomposition says the base letter of `c` is: an ASCII
    /// letter followed only by combining marks.
    fn decomposed_base(c: char) -> Option<char> {
        let nfd: Vec<char> = c.nfd().collect();
        (nfd.len() > 1
            && nfd[0].is_ascii_alphabetic()
            && nfd[1..].iter().all(|m| unicode_combining(*m)))
        .then(|| nfd[0].to_ascii_lowercase())
    }

    #[test]
    fn the_tables_are_unicodes_canonical_decompositions() {
        for code in (0xC0..=0x24F).chain(0x1E00..=0x1EFF) {
            let c = char::from_u32(code).unwrap();
            assert_eq!(base_letter(c), decomposed_base(c), "U+{code:04X} {c}");
        }
    }

    #[test]
    fn the_spelled_letters_have_no_ascii_decomposition() {
        for c in "ßæǣǽœøǿłŀƚıđðþħŧŋŉĸſĳƀƒǆǳǉǌȷ".chars() {
            assert!(spelled(c).is_some(), "{c}");
            assert_eq!(
                decomposed_base(c),
                None,
                "{c} decomposes; it belongs in the table"
            );
        }
    }

    #[test]
    fn umlauts_fold_like_their_two_spellings_and_the_bare_vowel() {
        for (a, b) in [
            ("Müßig", "Muessig"),
            ("Müßig", "Mussig"),
            ("Muessig", "Mussig"),
            ("Özdemir", "Oezdemir"),
            ("Özdemir", "Ozdemir"),
            ("Jäger", "Jaeger"),
            ("Jäger", "Jager"),
            ("Weiß", "Weiss"),
            ("ÄÖÜ", "aeoeue"),
            ("Şahin", "Sahin"),
            ("Çelik", "Celik"),
            ("Yıldırım", "Yildirim"),
            ("İpek", "Ipek"),
            ("Gökçe", "Goekce"),
            ("Désirée", "Desiree"),
            ("Nørgaard", "Norgaard"),
            ("Wałęsa", "Walesa"),
            ("Đorđević", "Dordevic"),
            ("Nguyễn", "Nguyen"),
            ("Ștefănescu", "Stefanescu"),
            ("Ströbel", "Stro\u{308}bel"),
        ] {
            assert_eq!(fold_name(a), fold_name(b), "{a} / {b}");
        }
        assert_ne!(fold_name("Müller"), fold_name("Miller"));
        assert_ne!(fold_name("Weiß"), fold_name("Weis"));
        assert_eq!(fold_name("Þórunn Ærøskøbing"), "thorunn aroskobing");
    }

    #[test]
    fn white_space_is_trimmed_and_collapsed_and_other_scripts_kept() {
        assert_eq!(fold_name("  Erika \t Musterfrau  "), "erika musterfrau");
        assert_eq!(fold_name(""), "");
        assert_eq!(fold_name("   "), "");
        assert_eq!(fold_name("Ολυμπία"), "ολυμπία");
        assert_eq!(fold_name("Müller-Lüdenscheidt"), "muller-ludenscheidt");
    }

    proptest! {
        #[test]
        fn folding_is_idempotent(name in "\\PC{0,24}") {
            let once = fold_name(&name);
            prop_assert_eq!(fold_name(&once), once);
        }

        #[test]
        fn the_german_spelling_of_umlauts_folds_like_the_umlauts(
            name in "[a-zA-ZäöüÄÖÜß ,-]{0,24}"
        ) {
            let spelled_out = name
                .replace('ä', "ae").replace('ö', "oe").replace('ü', "ue")
                .replace('Ä', "Ae").replace('Ö', "Oe").replace('Ü', "Ue")
                .replace('ß', "ss");
            let bare = name
                .replace('ä', "a").replace('ö', "o").replace('ü', "u")
                .replace('Ä', "A").replace('Ö', "O").replace('Ü', "U");
            prop_assert_eq!(fold_name(&spelled_out), fold_name(&name));
            prop_assert_eq!(fold_name(&bare), fold_name(&name));
        }

        #[test]
        fn the_fold_of_a_beginning_begins_the_fold(name in "\\PC{0,24}", cut in 0usize..24) {
            let prefix: String = name.chars().take(cut).collect();
            let folded = fold_name(&name);
            // Trailing white space of the prefix is trimmed, so compare without it.
            prop_assert!(folded.starts_with(fold_name(&prefix).trim_end()));
        }
    }
}
