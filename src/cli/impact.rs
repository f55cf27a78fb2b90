use std::path::Path;

use serde::Serialize;

use super::run::{EXIT_BAD_INPUT, EXIT_OK, Format, Outcome, Run};
use crate::compile::{Leniency, TreeMade};
use crate::images::elsewhere::{images_run, runners_of_image};
use crate::images::users::users_of_image;
use crate::model::Model;

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
        let model = &resolved.model;
        match users_of_image(&resolved.spec, model, query, dockerfiles) {
            Ok(impact) => Ok(answer(&impact, &impact.to_text(), format)),
            Err(message) => match runners_of_image(model, query) {
                Some(runners) if dockerfiles.is_none() => {
                    Ok(answer(&runners, &runners.to_text(), format))
                }
                Some(runners) => {
                    eprintln!(
                        "error: `{}` is an image built elsewhere: no Dockerfile of the estate's is built FROM it as a base; `--dockerfiles` goes with a base image of the catalog",
                        runners.image
                    );
                    Ok(EXIT_BAD_INPUT)
                }
                None => {
                    eprintln!("error: {message}{}", elsewhere_known(model));
                    Ok(EXIT_BAD_INPUT)
                }
            },
        }
    }
}

fn answer(report: &impl Serialize, text: &str, format: Format) -> i32 {
    match format {
        Format::Text => print!("{text}"),
        Format::Json => println!(
            "{}",
            serde_json::to_string_pretty(report).expect("an impact serializes")
        ),
    }
    EXIT_OK
}

/// The images built elsewhere the query could have meant, where the spec runs any.
fn elsewhere_known(model: &Model) -> String {
    let images = images_run(model);
    if images.is_empty() {
        String::new()
    } else {
        format!(
            "; nor an image built elsewhere that a container runs: {}",
            images.join(", ")
        )
    }
}
