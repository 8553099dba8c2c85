//! The RON files a user keeps, and their format versions.
//!
//! Every file is a small envelope: `(format: 1, client: (...))`. The reader looks
//! at `format` first. The current version is read as it is; an older one is read
//! with its own types and migrated; a newer one is read as well as this version
//! can, and marked read-only so that it is never overwritten.
//!
//! When a format changes: bump [`CURRENT_FORMAT`], keep the old types in a module
//! named after the old version with a conversion to the new ones (or, where the
//! old shape is a subset of the new one, a migration of the value read), add a
//! match arm in `read_body`, and add a golden file of the new version under
//! `tests/golden/`. Golden files of every version are read by the tests forever.
//!
//! Format 2 added regions (`gluteus_maximus_*`, `triceps_*`), cancelled and
//! postponed sessions, records entered in error, carried override reasons and
//! the prone-positioning reminder. Every format-1 file is a valid format-2 file
//! in shape, so format 1 is read with today's types and then migrated: a session
//! that was already ready or completed is marked as made before the safety gate
//! existed ([`Session::before_safety_gate`]).
//!
//! Format 3 added what a record was judged by; format 4 the client's consent
//! for a session (and the clinic's consent wording and sensitive areas). Both
//! only add fields, so older files are read with today's types; a session of
//! format 3 or older that was already ready or completed is marked as made
//! before consent was recorded ([`Session::before_consent`]).

use serde::Deserialize;

use super::problem::{Problem, TextPosition};
use crate::model::{Client, InvalidSession, PracticeSettings, Session, SessionStatus};

/// The format version this build writes.
pub const CURRENT_FORMAT: u32 = 4;

/// The largest file Knotmap reads. A real session file is a few kilobytes; a
/// file this large is a mistake, and reading it would stall the app.
pub const MAX_FILE_BYTES: u64 = 4 * 1024 * 1024;

/// A kind of file the practice keeps.
pub trait KeptFile: Sized {
    /// What the user calls it, e.g. "client profile".
    const WHAT: &'static str;

    /// The file's text, current format, pretty-printed.
    fn to_ron(&self) -> Result<String, ron::Error>;

    /// Reads the body of a file of format `version` (the current one or older),
    /// migrated to the current format. Every field the types do not know is
    /// passed to `unknown` by its path ("session.regions.0.presure").
    fn read_body(
        text: &str,
        version: u32,
        unknown: &mut dyn FnMut(String),
    ) -> Result<Self, ron::error::SpannedError>;

    /// Rules of the domain that the types alone do not hold.
    fn check(&self) -> Result<(), Invalid> {
        Ok(())
    }
}

/// A rule of the domain a file breaks, and where in the file it shows.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Invalid {
    pub message: String,
    pub place: Place,
}

/// Where in a file's text something is written, to point the user at it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Place {
    /// The first field of this name (`minutes:`).
    Field(&'static str),
    /// The `n`th (from 0) appearance of this text, e.g. a region written twice.
    Text(String, usize),
}

impl Place {
    /// The line and column of the place in `text`, if it is there.
    pub fn in_text(&self, text: &str) -> Option<TextPosition> {
        let index = match self {
            Place::Field(name) => field_index(text, name),
            Place::Text(needle, n) => text.match_indices(needle.as_str()).nth(*n).map(|(index, _)| index),
        }?;
        Some(TextPosition::after(&text[..index]))
    }
}

/// Where the field `name` is written (the name followed by `:`), as a whole word.
fn field_index(text: &str, name: &str) -> Option<usize> {
    let is_word = |c: char| c.is_ascii_alphanumeric() || c == '_';
    text.match_indices(name).map(|(index, _)| index).find(|&index| {
        let before = text[..index].chars().next_back();
        let after = text[index + name.len()..].trim_start();
        !before.is_some_and(is_word) && after.starts_with(':')
    })
}

macro_rules! envelope {
    ($file:ty, $field:ident, $what:literal, $check:expr) => {
        $crate::storage::format::envelope!($file, $field, $what, $check, |value, _version| value);
    };
    ($file:ty, $field:ident, $what:literal, $check:expr, $migrate:expr) => {
        impl $crate::storage::format::KeptFile for $file {
            const WHAT: &'static str = $what;

            fn to_ron(&self) -> Result<String, ron::Error> {
                #[derive(serde::Serialize)]
                struct Envelope<'a> {
                    format: u32,
                    $field: &'a $file,
                }
                ron::ser::to_string_pretty(
                    &Envelope { format: $crate::storage::format::CURRENT_FORMAT, $field: self },
                    $crate::storage::format::pretty(),
                )
                .map(|mut text| {
                    text.push('\n');
                    text
                })
            }

            fn read_body(
                text: &str,
                version: u32,
                unknown: &mut dyn FnMut(String),
            ) -> Result<Self, ron::error::SpannedError> {
                // Formats 1 and 2 share their shape (see the module's doc); the migration does the rest.
                #[derive(serde::Deserialize)]
                struct Envelope {
                    // `format` was read before; it is known here, not an unknown field.
                    #[allow(dead_code)]
                    format: u32,
                    $field: $file,
                }
                let options = $crate::storage::format::reading_options();
                // Only noticed, first: most files hold no unknown field, and naming one's
                // path costs a string for every key. A file that holds one, or fails,
                // is read again naming it, for the message (the value is the same).
                let ignored = std::cell::Cell::new(false);
                let mut deserializer = ron::Deserializer::from_str_with_options(text, &options)?;
                let quick: Result<Envelope, _> =
                    $crate::storage::unknown_fields::deserialize(&mut deserializer, &ignored);
                let envelope = match quick.and_then(|envelope| deserializer.end().map(|()| envelope)) {
                    Ok(envelope) if !ignored.get() => envelope,
                    _ => {
                        let mut deserializer = ron::Deserializer::from_str_with_options(text, &options)?;
                        let envelope: Envelope =
                            serde_ignored::deserialize(&mut deserializer, |path| unknown(path.to_string()))
                                .map_err(|error| deserializer.span_error(error))?;
                        deserializer.end().map_err(|error| deserializer.span_error(error))?;
                        envelope
                    }
                };
                let migrate: fn($file, u32) -> $file = $migrate;
                Ok(migrate(envelope.$field, version))
            }

            fn check(&self) -> Result<(), $crate::storage::format::Invalid> {
                let check: fn(&$file) -> Result<(), $crate::storage::format::Invalid> = $check;
                check(self)
            }
        }
    };
}

/// Each file kind's envelope is declared beside its type, with this.
pub(super) use envelope;

envelope!(PracticeSettings, practice, "practice settings", |_| Ok(()));
envelope!(Client, client, "client profile", |_| Ok(()));
envelope!(Session, session, "session", valid_session, migrate_session);
envelope!(crate::model::ClinicRules, safety_rules, "clinic safety rules", |_| Ok(()));

/// A session's own rules ([`Session::validate`]), pointing at the field that breaks one.
pub(super) fn valid_session(session: &Session) -> Result<(), Invalid> {
    session.validate().map_err(|error| {
        let place = match &error {
            InvalidSession::DuplicateRegion(region) => Place::Text(region.key().to_owned(), 1),
            error => Place::Field(error.field()),
        };
        Invalid { message: error.to_string(), place }
    })
}

/// How deep a kept file may nest. The deepest real file (a session whose
/// amendments keep the records they replaced) is about ten levels deep; a file
/// nested far deeper is a mistake or an attack, and refusing it early keeps
/// reading it from exhausting the stack.
const MAX_NESTING: usize = 64;

pub(super) fn reading_options() -> ron::Options {
    ron::Options::default().with_recursion_limit(MAX_NESTING)
}

/// A session of format 1 that was ready or completed was marked so before the
/// safety gate: say so, so that its unexplained warnings read as history.
pub(super) fn migrate_session(mut session: Session, version: u32) -> Session {
    let marked = matches!(session.status, SessionStatus::Ready | SessionStatus::Completed);
    if version < 2 && marked {
        session.before_safety_gate = true;
    }
    // Marked before Knotmap recorded consent (format 4): its lack of one is history.
    if version < 4 && marked {
        session.before_consent = true;
    }
    session
}

pub(super) fn pretty() -> ron::ser::PrettyConfig {
    ron::ser::PrettyConfig::new().indentor("    ").new_line("\n")
}

/// What reading a file gave.
#[derive(Debug)]
pub struct ReadFile<T> {
    pub value: T,
    /// The fingerprint of the bytes read, to notice a change by someone else.
    pub fingerprint: Fingerprint,
    /// Set when the file is from a newer version: it must not be written.
    pub newer_format: Option<u32>,
    /// Where the file says its `format`, to point a message about it there.
    pub format_at: Option<TextPosition>,
}

/// What a file held when it was read or written, to tell whether someone else
/// has changed it since. Content-based, because the clocks and timestamps of a
/// synced or shared folder cannot be trusted.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Fingerprint {
    len: u64,
    hash: u64,
}

impl Fingerprint {
    /// The hash of the bytes (their length aside).
    pub fn hash(&self) -> u64 {
        self.hash
    }

    pub fn of(bytes: &[u8]) -> Fingerprint {
        use std::hash::{BuildHasher, Hasher};
        // A fixed seed: the same bytes give the same value in every run. Kept only in
        // memory and in the check cache, which a new Knotmap builds afresh.
        let mut hasher = foldhash::quality::FixedState::with_seed(0).build_hasher();
        hasher.write(bytes);
        Fingerprint { len: bytes.len() as u64, hash: hasher.finish() }
    }
}

/// Parses the bytes of a kept file at `path`, or says plainly what is wrong
/// with it, where.
///
/// A file of this version or an older one is read strictly: a field the types
/// do not know (a typo such as `presure`) is a problem with its line, because
/// the next save would silently drop it. A file of a newer version is read as
/// well as this version can (its new fields passed over) and marked read-only.
/// A UTF-8 byte-order mark, as some editors write, is accepted.
pub fn parse_file<T: KeptFile>(path: &std::path::Path, bytes: &[u8]) -> Result<ReadFile<T>, Problem> {
    let problem = |message: String| Problem::new(path, message);
    let text = match std::str::from_utf8(bytes) {
        Ok(text) => text,
        Err(error) => {
            let valid = std::str::from_utf8(&bytes[..error.valid_up_to()]).unwrap_or_default();
            return Err(problem(format!(
                "this is not a text file, so it cannot be a Knotmap {}; it was left as it is",
                T::WHAT
            ))
            .at(TextPosition::after(valid)));
        }
    };
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    // Text with control characters (NUL, escape…) is binary data that happens to be valid UTF-8.
    if let Some(index) = first_control_character(text) {
        return Err(problem(format!(
            "this is binary data, not a text file, so it cannot be a Knotmap {}; it was left as it is",
            T::WHAT
        ))
        .at(TextPosition::after(&text[..index])));
    }
    if text.trim().is_empty() {
        return Err(problem(format!("the file is empty, so it holds no {}; it was left as it is", T::WHAT)));
    }

    let format_at = Place::Field("format").in_text(text);
    let at_format = |problem: Problem| match format_at {
        Some(position) => problem.at(position),
        None => problem,
    };
    // Every file Knotmap writes begins `(format: N,`: reading that is enough to know the
    // version, and saves parsing the whole file twice. Anything else is read the long way.
    let quick_version = format_in_head(text);
    let version = match quick_version {
        Some(version) => version,
        None => envelope_version::<T>(path, text)?,
    };
    // A file that fails later is reported as it would be without the quick read: when the
    // envelope itself cannot be read, that is what is said first.
    let first_problem = |problem: Problem| match quick_version {
        Some(_) => envelope_version::<T>(path, text).err().unwrap_or(problem),
        None => problem,
    };
    if version == 0 {
        return Err(first_problem(at_format(problem(format!(
            "format 0 does not exist (Knotmap's formats count from 1); this {} was left as it is",
            T::WHAT
        )))));
    }

    let newer = version > CURRENT_FORMAT;
    let mut unknown = Vec::new();
    let body_version = version.min(CURRENT_FORMAT);
    // Read without its indentation first, which the parser would otherwise spend a
    // third of its time stepping over; a file that fails so is read again as it is,
    // so that every message and place is the file's own.
    let value = match T::read_body(&without_indentation(text), body_version, &mut |path| unknown.push(path)) {
        Ok(value) => Ok(value),
        Err(_) => {
            unknown.clear();
            T::read_body(text, body_version, &mut |path| unknown.push(path))
        }
    };
    let value = value.map_err(|error| {
        first_problem(if newer {
            at_format(problem(format!(
                "this {} was written by a newer version of Knotmap (format {version}; this version reads \
                     up to {CURRENT_FORMAT}) and cannot be shown by this one; it was left as it is. Update \
                     Knotmap to open it",
                T::WHAT
            )))
        } else {
            ron_problem(path, T::WHAT, &error)
        })
    })?;
    if !newer && let Some(first) = unknown.first() {
        let field = first.rsplit('.').next().unwrap_or(first);
        let position = field_index(text, field).map(|index| TextPosition::after(&text[..index]));
        let message = format!(
            "unknown field `{field}` (at {first}): Knotmap does not know it, and saving would drop it; \
             correct or remove it (this {} was left as it is){}",
            T::WHAT,
            if unknown.len() > 1 {
                format!("; {} more unknown fields follow", unknown.len() - 1)
            } else {
                String::new()
            }
        );
        let problem = problem(message);
        return Err(first_problem(match position {
            Some(position) => problem.at(position),
            None => problem,
        }));
    }
    value.check().map_err(|invalid| {
        let problem =
            problem(format!("cannot read this {}: {}; it was left as it is", T::WHAT, invalid.message));
        first_problem(match invalid.place.in_text(text) {
            Some(position) => problem.at(position),
            None => problem,
        })
    })?;
    Ok(ReadFile {
        value,
        fingerprint: Fingerprint::of(bytes),
        newer_format: newer.then_some(version),
        format_at,
    })
}

/// `text` without the spaces and tabs that begin its lines, outside strings,
/// characters and comments, where RON gives them no meaning; inside those,
/// every byte is kept. The line breaks stay, so no two tokens run together.
fn without_indentation(text: &str) -> String {
    // What may begin something other than plain text: a line, a string, a
    // character, a comment, or (after an `r`) a raw string.
    const SPECIAL: [bool; 256] = {
        let mut special = [false; 256];
        let mut index = 0;
        let bytes = b"\n\"'/#";
        while index < bytes.len() {
            special[bytes[index] as usize] = true;
            index += 1;
        }
        special
    };
    let bytes = text.as_bytes();
    let mut kept = Vec::with_capacity(bytes.len());
    let mut at = 0;
    let mut line_begins = true;
    loop {
        if line_begins {
            while matches!(bytes.get(at), Some(b' ' | b'\t')) {
                at += 1;
            }
        }
        let plain = at;
        while at < bytes.len() && !SPECIAL[usize::from(bytes[at])] {
            at += 1;
        }
        let Some(&byte) = bytes.get(at) else {
            kept.extend_from_slice(&bytes[plain..]);
            break;
        };
        let after_r = at > 0 && bytes[at - 1] == b'r';
        let end = match byte {
            b'\n' => at + 1,
            b'"' | b'#' if after_r => raw_string_end(bytes, at).unwrap_or(at + 1),
            b'"' => quoted_end(bytes, at + 1, b'"'),
            b'\'' => quoted_end(bytes, at + 1, b'\''),
            b'/' => match bytes.get(at + 1) {
                Some(b'/') => bytes[at..].iter().position(|&b| b == b'\n').map_or(bytes.len(), |n| at + n),
                Some(b'*') => block_comment_end(bytes, at + 2),
                _ => at + 1,
            },
            _ => at + 1,
        };
        kept.extend_from_slice(&bytes[plain..end]);
        at = end;
        line_begins = byte == b'\n';
    }
    // Only ASCII spaces and tabs were left out, between whole characters.
    String::from_utf8(kept).unwrap_or_else(|_| text.to_owned())
}

/// Where a string or character that began before `from` ends (past its closing
/// `quote`; a backslash escapes what follows it), or the text's end.
fn quoted_end(bytes: &[u8], mut from: usize, quote: u8) -> usize {
    while let Some(&byte) = bytes.get(from) {
        match byte {
            b'\\' => from += 2,
            _ if byte == quote => return from + 1,
            _ => from += 1,
        }
    }
    bytes.len()
}

/// Where a raw string (`r"…"`, `r#"…"#`) whose `r` is just before `from` ends,
/// or `None` if what follows the `r` is not one.
fn raw_string_end(bytes: &[u8], from: usize) -> Option<usize> {
    let hashes = bytes[from..].iter().take_while(|&&b| b == b'#').count();
    let body = from + hashes;
    if bytes.get(body) != Some(&b'"') {
        return None;
    }
    let mut at = body + 1;
    while let Some(quote) = bytes[at..].iter().position(|&b| b == b'"') {
        let after = at + quote + 1;
        if bytes[after..].iter().take(hashes).filter(|&&b| b == b'#').count() == hashes {
            return Some(after + hashes);
        }
        at = after;
    }
    Some(bytes.len())
}

/// Where a block comment (which RON lets nest) that began before `from` ends, or the text's end.
fn block_comment_end(bytes: &[u8], mut from: usize) -> usize {
    let mut depth = 1;
    while from < bytes.len() {
        match (bytes[from], bytes.get(from + 1)) {
            (b'*', Some(b'/')) => {
                depth -= 1;
                from += 2;
                if depth == 0 {
                    return from;
                }
            }
            (b'/', Some(b'*')) => {
                depth += 1;
                from += 2;
            }
            _ => from += 1,
        }
    }
    bytes.len()
}

/// Where the first control character other than a line break or a tab is.
/// Scanned as bytes, because it runs over every byte of every file read: the C0
/// controls and DEL are single bytes, and the C1 controls are 0xC2 0x80–0x9F.
/// Blocks without a suspect byte are passed over whole, which the compiler can
/// do many bytes at a time.
fn first_control_character(text: &str) -> Option<usize> {
    const BLOCK: usize = 64;
    let bytes = text.as_bytes();
    let suspect =
        |byte: u8| (byte < 0x20 && !matches!(byte, b'\n' | b'\r' | b'\t')) || byte == 0x7f || byte == 0xc2;
    let control_at = |index: usize| match bytes[index] {
        0xc2 => bytes.get(index + 1).is_some_and(|next| (0x80..=0x9f).contains(next)),
        byte => suspect(byte),
    };
    let mut start = 0;
    for block in bytes.chunks(BLOCK) {
        if block.iter().fold(false, |any, &byte| any | suspect(byte))
            && let Some(found) = (start..start + block.len()).find(|&index| control_at(index))
        {
            return Some(found);
        }
        start += block.len();
    }
    None
}

/// The version a file's envelope gives, read by parsing the whole file, or the
/// problem that keeps it from being a Knotmap file at all.
fn envelope_version<T: KeptFile>(path: &std::path::Path, text: &str) -> Result<u32, Problem> {
    #[derive(Deserialize)]
    struct KnotmapFile {
        // RON writes an `Option` as `Some(1)`, but the envelope has a plain `format: 1`:
        // read a present field as a plain number, and a missing one as `None`.
        #[serde(default, deserialize_with = "present_version")]
        format: Option<u32>,
    }
    fn present_version<'de, D: serde::Deserializer<'de>>(deserializer: D) -> Result<Option<u32>, D::Error> {
        u32::deserialize(deserializer).map(Some)
    }
    match reading_options().from_str::<KnotmapFile>(text) {
        Ok(KnotmapFile { format: Some(version) }) => Ok(version),
        Ok(KnotmapFile { format: None }) => Err(Problem::new(
            path,
            format!(
                "this {} has no `format:` version, so it was not written by Knotmap; it was left as it is",
                T::WHAT
            ),
        )),
        Err(error) => {
            // Not even the envelope: a file of another kind (a text, a password file, a PDF's
            // name typed wrongly) is said to be one, in place of the parser's own words.
            let start = text.trim_start();
            if !start.starts_with('(') && !start.starts_with("//") && !start.starts_with("/*") {
                let first: String = start.chars().take_while(|c| !c.is_whitespace()).take(24).collect();
                return Err(Problem::new(
                    path,
                    format!(
                        "this is not a Knotmap {}: a Knotmap file begins with `(` and its `format:`, and this \
                         one begins with `{first}`; it was left as it is",
                        T::WHAT
                    ),
                )
                .at(TextPosition::after(&text[..text.len() - start.len()])));
            }
            Err(ron_problem(path, T::WHAT, &error))
        }
    }
}

/// The version of a file that begins as Knotmap writes it, `(format: N,` (with
/// any spacing): `None` for anything else, which is then read the long way.
fn format_in_head(text: &str) -> Option<u32> {
    let rest = text.trim_start().strip_prefix('(')?.trim_start().strip_prefix("format")?;
    let rest = rest.trim_start().strip_prefix(':')?.trim_start();
    let digits = rest.len() - rest.trim_start_matches(|c: char| c.is_ascii_digit()).len();
    let (number, after) = rest.split_at(digits);
    if !matches!(after.trim_start().chars().next(), Some(',' | ')')) {
        return None;
    }
    number.parse().ok()
}

impl<T: KeptFile> ReadFile<T> {
    /// The problem to list for a file from a newer Knotmap, pointed at its
    /// `format`; `None` for a file of this version or an older one.
    pub fn newer_problem(&self, path: &std::path::Path) -> Option<Problem> {
        let problem = Problem::new(path, newer_message(T::WHAT, self.newer_format?));
        Some(match self.format_at {
            Some(position) => problem.at(position),
            None => problem,
        })
    }
}

/// The message for a file from a newer Knotmap.
pub fn newer_message(what: &str, version: u32) -> String {
    format!(
        "this {what} was written by a newer version of Knotmap (format {version}; this version reads up to \
         {CURRENT_FORMAT}). It is shown read-only and will not be changed; update Knotmap to edit it"
    )
}

fn ron_problem(path: &std::path::Path, what: &str, error: &ron::error::SpannedError) -> Problem {
    let position = TextPosition { line: error.span.start.line, column: error.span.start.col };
    Problem::new(path, format!("cannot read this {what}: {}; it was left as it is", plain_words(&error.code)))
        .at(position)
}

/// What a RON error means, in words a therapist (or whoever edited the file
/// by hand) can act on, rather than the parser's own.
fn plain_words(code: &ron::Error) -> String {
    match code {
        ron::Error::ExceededRecursionLimit => format!(
            "the text is nested more than {MAX_NESTING} levels deep, far deeper than any Knotmap file"
        ),
        ron::Error::NoSuchEnumVariant { expected, found, .. } => {
            format!("`{found}` is not one of the values allowed here{}", suggestion(found, expected))
        }
        ron::Error::NoSuchStructField { expected, found, .. } => {
            format!("unknown field `{found}`{}", suggestion(found, expected))
        }
        ron::Error::MissingStructField { field, .. } => format!("the field `{field}` is missing"),
        ron::Error::DuplicateStructField { field, .. } => format!("the field `{field}` is written twice"),
        ron::Error::Message(message) => date_words(message).unwrap_or_else(|| message.clone()),
        other => other.to_string(),
    }
}

/// "; did you mean `upper_trapezius_l`?" for the allowed value closest to
/// `found`, or the values allowed when there are few; nothing when there are
/// many and none is close (a list of 40 names helps nobody).
fn suggestion(found: &str, expected: &[&str]) -> String {
    let closest = expected
        .iter()
        .map(|candidate| (strsim::levenshtein(found, candidate), candidate))
        .filter(|(distance, candidate)| *distance <= (candidate.len() / 3).max(2))
        .min();
    match closest {
        Some((_, candidate)) => format!("; did you mean `{candidate}`?"),
        None if expected.len() <= 8 => format!(" (allowed: {})", expected.join(", ")),
        None => String::new(),
    }
}

/// A date or time that does not exist, in plain words: jiff says "parameter
/// 'day' for `2026-02` is invalid, must be in range `1..=28`".
fn date_words(message: &str) -> Option<String> {
    let rest = &message[message.find("parameter '")? + "parameter '".len()..];
    let (unit, rest) = rest.split_once('\'')?;
    let within =
        rest.split_once("for `").and_then(|(_, rest)| rest.split_once('`')).map(|(within, _)| within);
    let range = rest.split_once("range `").and_then(|(_, rest)| rest.split_once('`')).map(|(range, _)| range);
    let (low, high) = range?.split_once("..=")?;
    Some(match within {
        Some(within) => {
            format!("this date or time does not exist: the {unit} of {within} runs from {low} to {high}")
        }
        None => format!("this date or time does not exist: the {unit} runs from {low} to {high}"),
    })
}

/// Reads and parses the kept file at `path`, refusing one larger than
/// [`MAX_FILE_BYTES`] without reading it.
pub fn read_file<T: KeptFile>(path: &std::path::Path) -> Result<ReadFile<T>, Problem> {
    let bytes = read_limited(path)?;
    parse_file(path, &bytes)
}

/// The bytes of `path`, or a problem if it cannot be read or is too large.
pub fn read_limited(path: &std::path::Path) -> Result<Vec<u8>, Problem> {
    read_limited_with_metadata(path).map(|(bytes, _)| bytes)
}

/// [`read_limited`], with the file's metadata as it was opened, before the read:
/// what a cache of it is to be stamped with (a change during the read makes the
/// stamp stale, never wrong).
pub fn read_limited_with_metadata(path: &std::path::Path) -> Result<(Vec<u8>, std::fs::Metadata), Problem> {
    use std::io::Read;
    let (file, metadata) = open_regular_file_with_metadata(path)?;
    let size = metadata.len();
    // Room for the whole file and the byte past it: read in one go, not grown from a
    // small guess a read at a time (the size is only a hint; the limit still holds).
    let mut bytes = Vec::with_capacity(size.min(MAX_FILE_BYTES) as usize + 1);
    // Reading one byte past the limit tells a too-large file from one exactly at it,
    // even if it grows while being read.
    file.take(MAX_FILE_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(|error| Problem::new(path, format!("cannot read the file: {error}")))?;
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(Problem::new(
            path,
            format!(
                "the file is larger than {} MiB, far larger than any Knotmap file; it was not read and was left as it is",
                MAX_FILE_BYTES / (1024 * 1024)
            ),
        ));
    }
    Ok((bytes, metadata))
}

/// `bytes` in lower-case hex, two digits a byte: how a hash is written in a file.
pub(super) fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|byte| format!("{byte:02x}")).collect()
}

/// What the file at `path` holds, as a fingerprint, read the one safe way
/// ([`read_limited`]): `None` when nothing is there. A pipe, a device, a link or
/// a file far too large is a problem, never a wait or a gigabyte in memory.
pub fn fingerprint_on_disk(path: &std::path::Path) -> Result<Option<Fingerprint>, Problem> {
    match std::fs::symlink_metadata(path) {
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => Ok(None),
        _ => read_limited(path).map(|bytes| Some(Fingerprint::of(&bytes))),
    }
}

/// The one way Knotmap opens a file to read: only a regular file, never
/// through a link. A named pipe (FIFO) would block the reader for ever, a
/// device may never end, a folder is no file, and a link may lead out of the
/// practice. It is opened without following a link and without waiting on a
/// pipe, and its kind is checked on what was opened; an entry that cannot be
/// opened so, or is not a regular file, is then looked at without following a
/// link, to say what it is.
pub fn open_regular_file(path: &std::path::Path) -> Result<std::fs::File, Problem> {
    open_regular_file_with_metadata(path).map(|(file, _)| file)
}

/// [`open_regular_file`], with the file's metadata when it was opened.
fn open_regular_file_with_metadata(
    path: &std::path::Path,
) -> Result<(std::fs::File, std::fs::Metadata), Problem> {
    // The common case in two calls, as `cat` makes them: a look at the entry before
    // opening it cost a practice's check a twentieth of its time. (A device is thus
    // opened before it is refused; only the system's administrator can make one. Where
    // opening cannot refuse a link, the entry is always looked at first.)
    #[cfg(unix)]
    if let Ok(file) = no_link_no_wait().open(path)
        && let Ok(opened) = file.metadata()
        && not_a_regular_file(&opened).is_none()
    {
        return Ok((file, opened));
    }
    looked_at_then_opened(path)
}

/// Read-only, not following a link, not blocking on a pipe.
fn no_link_no_wait() -> std::fs::OpenOptions {
    let mut options = std::fs::OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::custom_flags(&mut options, libc::O_NONBLOCK | libc::O_NOFOLLOW);
    options
}

/// [`open_regular_file_with_metadata`] the long way, for what could not simply be
/// opened: the entry looked at first, so that the problem says what it is.
fn looked_at_then_opened(path: &std::path::Path) -> Result<(std::fs::File, std::fs::Metadata), Problem> {
    let problem = |message: &str| Problem::new(path, message);
    let metadata = match std::fs::symlink_metadata(path) {
        Ok(metadata) => metadata,
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => {
            return Err(problem("the file is not there (it may have been moved or removed elsewhere)"));
        }
        Err(error) => return Err(Problem::new(path, format!("cannot look at the file: {error}"))),
    };
    not_a_regular_file(&metadata).map_or(Ok(()), |why| Err(problem(why)))?;
    // Not blocking on a pipe swapped in after the check; not following a link either.
    let file = no_link_no_wait()
        .open(path)
        .map_err(|error| Problem::new(path, format!("cannot open the file: {error}")))?;
    let opened =
        file.metadata().map_err(|error| Problem::new(path, format!("cannot open the file: {error}")))?;
    match not_a_regular_file(&opened) {
        Some(why) => Err(problem(why)),
        None => Ok((file, opened)),
    }
}

/// Why an entry whose kind is `metadata` is not a file to read, if it is not.
fn not_a_regular_file(metadata: &std::fs::Metadata) -> Option<&'static str> {
    let kind = metadata.file_type();
    if kind.is_symlink() {
        Some("this is a link; Knotmap does not follow links inside a practice folder, so it was passed over")
    } else if kind.is_dir() {
        Some("this is a folder where a file should be; it was left as it is")
    } else if !kind.is_file() {
        Some(
            "this is not a regular file (a pipe, a socket or a device), so it was not read; it was left as it is",
        )
    } else {
        None
    }
}

/// Reads a kept file's text back from RON, for tests and tools that hold text
/// rather than a path.
pub fn from_ron<T: KeptFile>(text: &str) -> Result<T, Problem> {
    parse_file::<T>(std::path::Path::new("<text>"), text.as_bytes()).map(|read| read.value)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn the_quick_read_of_the_version_takes_only_what_knotmap_writes() {
        assert_eq!(format_in_head("(\n    format: 4,\n    session: ()"), Some(4));
        assert_eq!(format_in_head("  ( format :12 )"), Some(12));
        for long_way in [
            "(session: (), format: 4)",
            "// a note\n(format: 4,",
            "(format: 4.5,",
            "(format: -4,",
            "(format: 99999999999,",
            "(formats: 4,",
            "Session(format: 4,",
        ] {
            assert_eq!(format_in_head(long_way), None, "{long_way}");
        }
    }

    #[derive(Debug, PartialEq, serde::Deserialize)]
    struct Notes {
        notes: String,
        items: Vec<String>,
        letter: char,
    }

    /// What RON reads from `text`, and from it without its indentation.
    fn both_ways(text: &str) -> (Result<Notes, String>, Result<Notes, String>) {
        let read = |text: &str| ron::from_str::<Notes>(text).map_err(|error| error.to_string());
        (read(text), read(&without_indentation(text)))
    }

    #[test]
    fn leaving_out_the_indentation_keeps_every_string_character_and_comment_as_it_is() {
        let text = "(\n    // a client's \"note\"\n    /* it's /* nested */ \"still\" a comment */\n    notes: \"first line\n        indented inside the string\",\n    items: [\n        r#\"raw \"quoted\"\n            and indented\"#,\n        \"escaped \\\" quote\n  and more\",\n        r\"plain raw\n   kept\",\n    ],\n    letter: '\"',\n)";
        let (as_it_is, unindented) = both_ways(text);
        let notes = as_it_is.expect("the text is RON");
        assert_eq!(notes.notes, "first line\n        indented inside the string");
        assert_eq!(notes.items[0], "raw \"quoted\"\n            and indented");
        assert_eq!(unindented, Ok(notes));
        assert!(!without_indentation(text).contains("\n    notes"), "the indentation outside went");
    }

    proptest! {
        #[test]
        fn without_its_indentation_a_file_reads_as_the_same_value(
            notes in "[a-z \n\"\\\\'#/*]{0,40}",
            raw in "[a-z \n\"'/*]{0,40}",
            literal in "[a-z \n'/*#]{0,40}",
            indent in "[ \t]{0,9}",
            comment in "[a-z \"'*]{0,12}",
            letter in "[a-z\"' ]",
        ) {
            let escaped = ron::to_string(&notes).map_err(|error| TestCaseError::fail(error.to_string()))?;
            let letter_written = ron::to_string(&letter.chars().next().unwrap_or('a'))
                .map_err(|error| TestCaseError::fail(error.to_string()))?;
            let text = format!(
                "(\n{indent}letter: {letter_written},\n{indent}// {comment}\n{indent}notes: {escaped},\n{indent}/* {comment} */ items: [\n{indent}{indent}r##\"{raw}\"##,\n{indent}{indent}\"{literal}\",\n{indent}],\n)"
            );
            let (as_it_is, unindented) = both_ways(&text);
            prop_assert!(as_it_is.is_ok(), "{:?} from {}", as_it_is, text);
            prop_assert_eq!(unindented, as_it_is);
        }

        #[test]
        fn a_session_reads_back_as_it_was_written(
            notes in "[a-z \n\"\\\\]{0,30}",
            goals in "[ \n]{0,3}[a-zé\n ]{0,20}",
        ) {
            let client = crate::model::ClientId::new("ana-lima-k3f9q").map_err(|error| TestCaseError::fail(error.to_string()))?;
            let minutes = crate::model::Minutes::new(45).map_err(|error| TestCaseError::fail(error.to_string()))?;
            let mut session = Session::new(client, jiff::civil::date(2026, 12, 7).at(9, 30, 0, 0), minutes);
            session.goals = goals;
            session.region_mut(crate::model::RegionId::UpperTrapeziusR).notes = notes;
            let text = session.to_ron().map_err(|error| TestCaseError::fail(error.to_string()))?;
            let read = parse_file::<Session>(std::path::Path::new("s.ron"), text.as_bytes())
                .map_err(|problem| TestCaseError::fail(problem.to_string()))?;
            prop_assert_eq!(read.value, session);
        }

        #[test]
        fn control_characters_are_found_where_the_characters_say(text in "([a-zé€\n\t ]{0,70}[\\x00-\\x1f\\x7f\\u{80}-\\u{9f}]?){0,4}") {
            let by_characters = text.find(|c: char| c.is_control() && !matches!(c, '\n' | '\r' | '\t'));
            prop_assert_eq!(first_control_character(&text), by_characters);
        }

        #[test]
        fn the_quick_version_is_the_one_the_envelope_gives(
            space in "[ \n\t]{0,3}",
            version in 0u32..100,
            after in "[ \n]{0,2}[,)]",
        ) {
            let text = format!("{space}({space}format{space}:{space}{version}{after}");
            let quick = format_in_head(&text);
            prop_assert_eq!(quick, Some(version));
            let text = if after.ends_with(',') { format!("{text} session: ())") } else { text };
            if let Ok(long) = envelope_version::<Session>(std::path::Path::new("s.ron"), &text) {
                prop_assert_eq!(long, version);
            }
        }
    }
}
