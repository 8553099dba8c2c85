//! Small pieces every screen uses: text and date fields, file dialogs, long
//! names shortened, text in the order it is seen, the fonts for any script, and
//! how every window opens and closes for the keyboard.

pub mod date_field;
pub mod escape;
pub mod file_dialog;
pub mod fonts;
pub mod said;
pub mod seen_text;
pub mod short_name;
pub mod signature_pad;
pub mod text_field;
pub mod window;
