//! A text field for a value that is typed as text but kept as something else (a
//! date): what is typed stays as typed until it reads as a valid value, and a
//! plain message says what is wrong meanwhile. Leaving the field (Tab, a click
//! elsewhere) keeps a wrong text and its message, so nothing typed is lost
//! without a word: it stays until it is corrected, or until the value is
//! changed some other way (picked from a calendar, undone), which then shows.

use egui::Id;

/// What a [`parsed_field`] did this frame.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Parsed {
    /// The value changed.
    pub changed: bool,
    /// Why the text in the field is not a value, in plain words.
    pub problem: Option<String>,
}

/// Text kept in a field because it is being typed or is wrong.
#[derive(Clone, Debug)]
struct Typed {
    text: String,
    /// The value, as shown, when the text was typed: if the value is no longer
    /// that, it was changed elsewhere, and the text is out of date.
    over: String,
}

/// Shows a one-line field `width` wide for `value`, named for screen readers
/// (and tests) by the label `labelled_by`. `format` shows the value; `parse`
/// reads what is typed, or says in plain words why it cannot. The caller shows
/// the problem where it has room for it.
pub fn parsed_field<T: PartialEq>(
    ui: &mut egui::Ui,
    labelled_by: Id,
    hint: &str,
    width: f32,
    value: &mut T,
    format: impl Fn(&T) -> String,
    parse: impl Fn(&str) -> Result<T, String>,
) -> Parsed {
    let id = labelled_by.with("parsed_field");
    let shown = format(value);
    let kept = ui.data(|data| data.get_temp::<Typed>(id)).filter(|typed| typed.over == shown);
    let mut text = kept.map_or(shown, |typed| typed.text);
    let response = ui
        .add(egui::TextEdit::singleline(&mut text).hint_text(hint).desired_width(width))
        .labelled_by(labelled_by);
    let mut parsed = Parsed::default();
    match parse(text.trim()) {
        // Only what was typed changes the value: reading back the shown text would
        // round away what the format leaves out.
        Ok(read) => {
            if response.changed() && read != *value {
                *value = read;
                parsed.changed = true;
            }
        }
        Err(problem) => parsed.problem = Some(problem),
    }
    // The widget's focus, not `Response::has_focus`, which is also false while
    // the window is in the background.
    let editing = ui.memory(|memory| memory.has_focus(response.id));
    if editing || parsed.problem.is_some() {
        let over = format(value);
        ui.data_mut(|data| data.insert_temp(id, Typed { text, over }));
    } else {
        // A value that reads well is shown as the value is.
        ui.data_mut(|data| data.remove::<Typed>(id));
    }
    parsed
}
