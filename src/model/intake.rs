//! The client's health questionnaire, in their own words: one question in
//! plain words for each health flag (the built-in ones and the clinic's),
//! answered by the client on the laptop. Answers propose flags; the therapist
//! reviews them on the profile and confirms or corrects each. Every time it is
//! asked is kept, so the profile shows what the client answered and when.

use std::collections::BTreeMap;

use jiff::civil::DateTime;
use serde::{Deserialize, Serialize};

use super::{Client, ClinicFlag, HealthFlag};

/// One answer to a question.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Answer {
    Yes,
    No,
    NotSure,
}

impl Answer {
    pub const ALL: [Answer; 3] = [Answer::Yes, Answer::No, Answer::NotSure];

    pub fn word(self) -> &'static str {
        match self {
            Answer::Yes => "Yes",
            Answer::No => "No",
            Answer::NotSure => "Not sure",
        }
    }
}

/// Who went through the answers with the client, and when.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Reviewed {
    pub by: String,
    pub at: DateTime,
}

/// The questionnaire as the client answered it once.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Intake {
    pub answered_at: DateTime,
    /// The answer to each built-in flag's question.
    pub built_in: BTreeMap<HealthFlag, Answer>,
    /// The answer to each of the clinic's flags' questions, by the flag's key.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub clinic: BTreeMap<String, Answer>,
    /// Anything the client wrote besides.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub note: String,
    /// Set once the therapist went through the answers on the profile.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reviewed: Option<Reviewed>,
}

/// The question a built-in flag asks, in the client's words.
pub fn question(flag: HealthFlag) -> &'static str {
    match flag {
        HealthFlag::BloodClots => {
            "Have you ever had a blood clot (DVT), or been told you are at risk of one?"
        }
        HealthFlag::BloodThinners => {
            "Do you take medicine that thins the blood, or do you bruise or bleed easily?"
        }
        HealthFlag::Osteoporosis => "Have you been told your bones are thin or fragile (osteoporosis)?",
        HealthFlag::RecentSurgeryOrInjury => "Have you had an operation or an injury in the last few months?",
        HealthFlag::Pregnancy => "Are you pregnant, or could you be?",
        HealthFlag::Cancer => "Are you being treated for cancer, or have you been in the last five years?",
        HealthFlag::FeverOrInfection => "Do you have a fever or an infection, or feel unwell today?",
        HealthFlag::ReducedSensation => {
            "Is there anywhere on your back, neck or shoulders where you feel less than usual (numbness)?"
        }
        HealthFlag::HighBloodPressure => "Do you have high blood pressure?",
        HealthFlag::SkinCondition => {
            "Do you have a rash, a wound or a skin condition on your back, neck or shoulders?"
        }
    }
}

/// The question one of the clinic's flags asks.
pub fn clinic_question(flag: &ClinicFlag) -> String {
    format!("Do you have: {}?", flag.name)
}

impl Intake {
    /// A questionnaire not yet answered, begun at `at`, with the clinic's `clinic_flags`.
    pub fn new(at: DateTime) -> Intake {
        Intake {
            answered_at: at,
            built_in: BTreeMap::new(),
            clinic: BTreeMap::new(),
            note: String::new(),
            reviewed: None,
        }
    }

    /// Whether every question was answered.
    pub fn is_complete(&self, clinic_flags: &[ClinicFlag]) -> bool {
        HealthFlag::ALL.iter().all(|flag| self.built_in.contains_key(flag))
            && clinic_flags.iter().all(|flag| self.clinic.contains_key(&flag.key))
    }

    /// Where the answers and the profile disagree: the built-in flags answered
    /// yes or not sure that the profile lacks, and those answered no that it has.
    pub fn to_review(&self, client: &Client) -> Vec<(HealthFlag, Answer, bool)> {
        HealthFlag::ALL
            .into_iter()
            .filter_map(|flag| {
                let answer = *self.built_in.get(&flag)?;
                let has = client.health_flags.contains_key(&flag);
                let differs = match answer {
                    Answer::Yes | Answer::NotSure => !has,
                    Answer::No => has,
                };
                differs.then_some((flag, answer, has))
            })
            .collect()
    }

    /// The answers in a line, for the profile: "yes: Blood thinners; not sure: Pregnancy".
    pub fn in_words(&self, clinic_flags: &[ClinicFlag]) -> String {
        fn label_of<'a>(clinic_flags: &'a [ClinicFlag], key: &'a str) -> &'a str {
            clinic_flags.iter().find(|flag| flag.key == key).map_or(key, |flag| flag.name.as_str())
        }
        let mut yes: Vec<&str> = Vec::new();
        let mut not_sure: Vec<&str> = Vec::new();
        let built_in = self.built_in.iter().map(|(flag, answer)| (flag.label(), *answer));
        let clinic = self.clinic.iter().map(|(key, answer)| (label_of(clinic_flags, key), *answer));
        for (label, answer) in built_in.chain(clinic) {
            match answer {
                Answer::Yes => yes.push(label),
                Answer::NotSure => not_sure.push(label),
                Answer::No => {}
            }
        }
        let mut parts = Vec::new();
        if !yes.is_empty() {
            parts.push(format!("yes: {}", yes.join(", ")));
        }
        if !not_sure.is_empty() {
            parts.push(format!("not sure: {}", not_sure.join(", ")));
        }
        if parts.is_empty() { "no to every question".to_owned() } else { parts.join("; ") }
    }
}

/// Applies the therapist's review of `client`'s latest questionnaire: each flag
/// in `confirmed` is added (answered yes or not sure), each in `cleared`
/// removed (answered no); the questionnaire is marked reviewed by `who` at `at`.
pub fn review(
    client: &mut Client,
    confirmed: &[HealthFlag],
    cleared: &[HealthFlag],
    who: &str,
    at: DateTime,
) {
    for flag in confirmed {
        client.health_flags.entry(*flag).or_default();
    }
    for flag in cleared {
        client.health_flags.remove(flag);
    }
    if let Some(intake) = client.intakes.last_mut() {
        intake.reviewed = Some(Reviewed { by: who.to_owned(), at });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at() -> DateTime {
        jiff::civil::date(2026, 11, 23).at(9, 10, 0, 0)
    }

    #[test]
    fn answers_propose_flags_that_the_therapist_confirms_or_corrects() {
        let mut client = Client::new("Ana Lima");
        client.health_flags.insert(HealthFlag::HighBloodPressure, Default::default());
        let mut intake = Intake::new(at());
        for flag in HealthFlag::ALL {
            intake.built_in.insert(flag, Answer::No);
        }
        intake.built_in.insert(HealthFlag::BloodThinners, Answer::Yes);
        intake.built_in.insert(HealthFlag::Pregnancy, Answer::NotSure);
        assert!(intake.is_complete(&[]));
        assert_eq!(intake.in_words(&[]), "yes: Blood thinners / bleeding disorder; not sure: Pregnancy");
        client.intakes.push(intake.clone());
        assert_eq!(
            intake.to_review(&client),
            [
                (HealthFlag::BloodThinners, Answer::Yes, false),
                (HealthFlag::Pregnancy, Answer::NotSure, false),
                (HealthFlag::HighBloodPressure, Answer::No, true),
            ]
        );
        // The therapist confirms the blood thinners, and keeps the blood pressure the client forgot.
        review(&mut client, &[HealthFlag::BloodThinners], &[], "Mira Santos", at());
        assert!(client.health_flags.contains_key(&HealthFlag::BloodThinners));
        assert!(client.health_flags.contains_key(&HealthFlag::HighBloodPressure));
        assert!(!client.health_flags.contains_key(&HealthFlag::Pregnancy));
        assert_eq!(
            client.intakes[0].reviewed.as_ref().map(|reviewed| reviewed.by.as_str()),
            Some("Mira Santos")
        );
    }
}
