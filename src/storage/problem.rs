//! A problem found in a practice folder: a file that cannot be read, a file from a
//! newer version, something that does not follow the layout. Problems are listed
//! to the user, never fatal, and the file they name is left as it is.

use std::fmt;
use std::path::PathBuf;

/// A line and column in a file, both counted from 1.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TextPosition {
    pub line: usize,
    pub column: usize,
}

impl TextPosition {
    /// The position just after `prefix`, which is the start of a file's text.
    pub fn after(prefix: &str) -> TextPosition {
        let line = prefix.matches('\n').count() + 1;
        let line_start = prefix.rfind('\n').map_or(0, |index| index + 1);
        TextPosition { line, column: prefix[line_start..].chars().count() + 1 }
    }
}

/// One problem, with the file it is about and, where it applies, the place in it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Problem {
    pub path: PathBuf,
    pub position: Option<TextPosition>,
    /// A plain message that says what is wrong and, where it can, what to do.
    pub message: String,
}

impl Problem {
    pub fn new(path: impl Into<PathBuf>, message: impl Into<String>) -> Problem {
        Problem { path: path.into(), position: None, message: message.into() }
    }

    pub fn at(mut self, position: TextPosition) -> Problem {
        self.position = Some(position);
        self
    }
}

/// `path:line:col: message`, the form compilers use and editors can jump to.
impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.position {
            Some(TextPosition { line, column }) => {
                write!(f, "{}:{line}:{column}: {}", self.path.display(), self.message)
            }
            None => write!(f, "{}: {}", self.path.display(), self.message),
        }
    }
}
