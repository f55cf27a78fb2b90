use std::path::Path;

use super::run::{EXIT_BAD_INPUT, EXIT_OK, Format, Outcome, Run};
use crate::compile::{Leniency, TreeMade};

impl Run<'_> {
    pub(super) fn impact(
        &self,
        query: &str,
        dockerfiles: Option<&Path>,
        format: Format,
    ) -> Outcome {
        let resolved = self.compiled_as(
            self.options()
                .making(TreeMade::Nothing)
                .letting_through(Leniency::BaseImages),
        )?;
        match crate::images::users::users_of_image(
            &resolved.spec,
            &resolved.model,
            query,
            dockerfiles,
        ) {
            Ok(impact) => {
                match format {
                    Format::Text => print!("{}", impact.to_text()),
                    Format::Json => println!(
                        "{}",
                        serde_json::to_string_pretty(&impact).expect("an impact serializes")
                    ),
                }
                Ok(EXIT_OK)
            }
            Err(message) => {
                eprintln!("error: {message}");
                Ok(EXIT_BAD_INPUT)
            }
        }
    }
}
