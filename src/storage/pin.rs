//! The laptop's PIN: what gets the therapist's view back after the laptop was
//! handed to a client, and unlocks the lock screen. Kept per laptop in the
//! user's own data folder, outside every practice (so a sync tool never copies
//! it to another laptop), and only as a salted, slow hash.

use std::io::Read;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::atomic::{create_private_folder, write_atomically};
use super::format::{KeptFile, hex, read_file};

/// How many times the PIN is hashed: slow enough that trying every PIN of a
/// stolen file takes a while, quick enough to unlock at once.
const ROUNDS: u32 = 50_000;

/// The shortest and longest PIN.
pub const PIN_DIGITS: std::ops::RangeInclusive<usize> = 4..=12;

/// What the PIN file holds.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PinFile {
    /// Hex of the random salt.
    pub salt: String,
    /// Hex of the hash of the salt and the PIN, [`PinFile::rounds`] times.
    pub hash: String,
    pub rounds: u32,
}

super::format::envelope!(PinFile, laptop_pin, "laptop PIN", |_| Ok(()));

/// Why a PIN was not set.
#[derive(Debug, thiserror::Error)]
pub enum PinError {
    #[error("a PIN is 4 to 12 digits")]
    NotDigits,
    #[error("the two PINs differ")]
    Differ,
    #[error("no randomness for the PIN's salt: {0}")]
    NoRandomness(std::io::Error),
    #[error("the PIN could not be kept in {}: {source}", path.display())]
    NotKept { path: PathBuf, source: std::io::Error },
}

/// This laptop's PIN, at its file.
#[derive(Clone, Debug)]
pub struct LaptopPin {
    path: PathBuf,
}

impl LaptopPin {
    pub fn at(path: &Path) -> LaptopPin {
        LaptopPin { path: path.to_owned() }
    }

    /// Whether a PIN is set (and its file can be read).
    pub fn is_set(&self) -> bool {
        self.stored().is_some()
    }

    /// Sets the PIN to `pin`, typed twice (`again`).
    pub fn set(&self, pin: &str, again: &str) -> Result<(), PinError> {
        if !PIN_DIGITS.contains(&pin.len()) || !pin.bytes().all(|byte| byte.is_ascii_digit()) {
            return Err(PinError::NotDigits);
        }
        if pin != again {
            return Err(PinError::Differ);
        }
        let mut salt = [0_u8; 16];
        std::fs::File::open("/dev/urandom")
            .and_then(|mut random| random.read_exact(&mut salt))
            .map_err(PinError::NoRandomness)?;
        let file = PinFile { salt: hex(&salt), hash: hex(&hashed(&salt, pin, ROUNDS)), rounds: ROUNDS };
        let not_kept = |source| PinError::NotKept { path: self.path.clone(), source };
        let text = file.to_ron().map_err(|error| not_kept(std::io::Error::other(error)))?;
        if let Some(folder) = self.path.parent() {
            create_private_folder(folder).map_err(not_kept)?;
        }
        write_atomically(&self.path, text.as_bytes()).map_err(not_kept)
    }

    /// Whether `pin` is this laptop's PIN.
    pub fn matches(&self, pin: &str) -> bool {
        let Some(stored) = self.stored() else { return false };
        let Some(salt) = from_hex(&stored.salt) else { return false };
        let rounds = stored.rounds.clamp(1, 10 * ROUNDS);
        // Compared whole, never stopping at the first difference.
        let tried = hex(&hashed(&salt, pin, rounds));
        tried.len() == stored.hash.len()
            && tried.bytes().zip(stored.hash.bytes()).fold(0_u8, |differ, (a, b)| differ | (a ^ b)) == 0
    }

    fn stored(&self) -> Option<PinFile> {
        read_file::<PinFile>(&self.path).ok().map(|read| read.value)
    }
}

fn hashed(salt: &[u8], pin: &str, rounds: u32) -> Vec<u8> {
    let mut digest = Sha256::new().chain_update(salt).chain_update(pin.as_bytes()).finalize();
    for _ in 1..rounds {
        digest = Sha256::new().chain_update(digest).chain_update(salt).finalize();
    }
    digest.to_vec()
}

fn from_hex(text: &str) -> Option<Vec<u8>> {
    text.len()
        .is_multiple_of(2)
        .then(|| {
            (0..text.len()).step_by(2).map(|at| u8::from_str_radix(text.get(at..at + 2)?, 16).ok()).collect()
        })
        .flatten()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_pin_is_kept_only_as_a_hash_and_only_it_unlocks() {
        let folder = tempfile::tempdir().unwrap_or_else(|error| panic!("{error}"));
        let pin = LaptopPin::at(&folder.path().join("data/laptop-pin.ron"));
        assert!(!pin.is_set() && !pin.matches(""), "no PIN: nothing unlocks");
        assert!(matches!(pin.set("12a4", "12a4"), Err(PinError::NotDigits)));
        assert!(matches!(pin.set("123", "123"), Err(PinError::NotDigits)));
        assert!(matches!(pin.set("2468", "2469"), Err(PinError::Differ)));
        pin.set("2468", "2468").unwrap_or_else(|error| panic!("{error}"));
        assert!(pin.matches("2468"));
        assert!(!pin.matches("2469") && !pin.matches("") && !pin.matches("24680"));
        let text = std::fs::read_to_string(folder.path().join("data/laptop-pin.ron")).unwrap_or_default();
        assert!(!text.contains("2468"), "the PIN itself is never written: {text}");
    }
}
