//! Client and session IDs. They become folder and file names in the practice, so
//! only IDs that are safe as a single path component can be made: lower-case
//! ASCII letters, digits, `-` and `_`, not starting with `-`, at most 80
//! characters. Lower case only, so that `Maria` and `maria` can never be two
//! clients on a case-sensitive disk and one folder on a case-insensitive one. That rules
//! out `..`, separators, control characters and names a shell or a sync tool
//! would trip over.

use std::hash::{BuildHasher, Hasher};

use serde::{Deserialize, Serialize};

/// Why a string cannot be an ID.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum InvalidId {
    #[error("an ID cannot be empty")]
    Empty,
    #[error("an ID is at most {max} characters, this one has {len}")]
    TooLong { len: usize, max: usize },
    #[error("an ID may hold only letters a-z, digits, '-' and '_', not {found:?}")]
    BadCharacter { found: char },
    #[error("an ID cannot start with '-'")]
    LeadingDash,
}

const MAX_ID_LEN: usize = 80;

fn validate_id(text: &str) -> Result<(), InvalidId> {
    if text.is_empty() {
        return Err(InvalidId::Empty);
    }
    // Characters first: once they are known to be ASCII, bytes and characters count the same.
    if let Some(found) =
        text.chars().find(|c| !(c.is_ascii_lowercase() || c.is_ascii_digit() || *c == '-' || *c == '_'))
    {
        return Err(InvalidId::BadCharacter { found });
    }
    if text.len() > MAX_ID_LEN {
        return Err(InvalidId::TooLong { len: text.len(), max: MAX_ID_LEN });
    }
    if text.starts_with('-') {
        return Err(InvalidId::LeadingDash);
    }
    Ok(())
}

/// A short random suffix so that two laptops making an ID in the same minute
/// for the same name do not collide.
fn random_suffix() -> String {
    const ALPHABET: &[u8] = b"abcdefghjkmnpqrstuvwxyz23456789";
    // RandomState is seeded from the operating system's randomness.
    let mut bits = std::collections::hash_map::RandomState::new().build_hasher().finish();
    (0..5)
        .map(|_| {
            let index = (bits % ALPHABET.len() as u64) as usize;
            bits /= ALPHABET.len() as u64;
            char::from(ALPHABET[index])
        })
        .collect()
}

/// Lower-case ASCII words of a name joined by '-', for a readable ID.
fn slug(name: &str, max_len: usize) -> String {
    let mut slug = String::new();
    for word in name.split(|c: char| !c.is_ascii_alphanumeric()).filter(|w| !w.is_empty()) {
        if slug.len() + word.len() + 1 > max_len {
            break;
        }
        if !slug.is_empty() {
            slug.push('-');
        }
        slug.push_str(&word.to_ascii_lowercase());
    }
    slug
}

macro_rules! path_safe_id {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(try_from = "String", into = "String")]
        pub struct $name(String);

        impl $name {
            pub fn new(text: impl Into<String>) -> Result<Self, InvalidId> {
                let text = text.into();
                validate_id(&text)?;
                Ok(Self(text))
            }

            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl TryFrom<String> for $name {
            type Error = InvalidId;
            fn try_from(text: String) -> Result<Self, InvalidId> {
                Self::new(text)
            }
        }

        impl From<$name> for String {
            fn from(id: $name) -> String {
                id.0
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(&self.0)
            }
        }
    };
}

path_safe_id!(
    /// The ID of a client, also the name of the client's folder.
    ClientId
);
path_safe_id!(
    /// The ID of a session, also the name of its file (without `.ron`).
    SessionId
);

impl ClientId {
    /// A fresh ID for a new client: the name's ASCII words and a random suffix,
    /// e.g. `ana-li-k3f9q`.
    pub fn generate(name: &str) -> ClientId {
        let stem = slug(name, 40);
        let stem = if stem.is_empty() { "client".to_owned() } else { stem };
        ClientId(format!("{stem}-{}", random_suffix()))
    }
}

impl SessionId {
    /// A fresh ID for a session starting at `start`, e.g. `2026-11-23-0930-k3f9q`.
    /// Session IDs sort by the time the session was first planned for.
    pub fn generate(start: jiff::civil::DateTime) -> SessionId {
        SessionId(format!("{}-{}", start.strftime("%Y-%m-%d-%H%M"), random_suffix()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_that_would_escape_the_folder_are_refused() {
        for bad in ["", "..", "../x", "a/b", "a\\b", "a\0b", "a\nb", "-rf", "é", "a b", ".hidden"] {
            assert!(ClientId::new(bad).is_err(), "{bad:?} was accepted");
        }
        assert!(ClientId::new("x".repeat(81)).is_err());
        assert!(SessionId::new("2026-11-23-0930-k3f9q").is_ok());
    }

    #[test]
    fn generated_ids_are_valid_and_readable() {
        let id = ClientId::generate("Ana Lí-Moreno / ../etc");
        assert!(id.as_str().starts_with("ana-l-moreno-etc-"), "{id}");
        assert!(ClientId::new(id.as_str()).is_ok());
        let start = jiff::civil::date(2026, 11, 23).at(9, 30, 0, 0);
        let session = SessionId::generate(start);
        assert!(session.as_str().starts_with("2026-11-23-0930-"), "{session}");
        assert_ne!(SessionId::generate(start), session);
    }

    #[test]
    fn ids_are_lower_case_as_documented() {
        assert_eq!(ClientId::new("Maria-Lopez"), Err(InvalidId::BadCharacter { found: 'M' }));
        assert!(SessionId::new("2026-11-23-0930-K3F9Q").is_err());
        assert!(ClientId::new("maria-lopez_2").is_ok());
    }

    #[test]
    fn a_file_with_a_path_like_id_is_rejected() {
        assert!(ron::from_str::<ClientId>("\"../../etc\"").is_err());
    }
}
