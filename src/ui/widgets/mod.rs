//! Small pieces every screen uses: text and date fields, file dialogs, long
//! names shortened, text in the order it is seen, and the fonts for any script.

pub mod date_field;
pub mod escape;
pub mod file_dialog;
pub mod fonts;
pub mod seen_text;
pub mod short_name;
pub mod signature_pad;
pub mod text_field;
