//! Work-done progress for long jobs (reading the corpus): create a token,
//! then `$/progress` begin, reports, end. Clients that don't support it get
//! nothing, and a failure to create the token just silences the reports.

use tower_lsp::lsp_types::notification::Progress;
use tower_lsp::lsp_types::request::WorkDoneProgressCreate;
use tower_lsp::lsp_types::{
    NumberOrString, ProgressParams, ProgressParamsValue, WorkDoneProgress, WorkDoneProgressBegin,
    WorkDoneProgressCreateParams, WorkDoneProgressEnd, WorkDoneProgressReport,
};
use tower_lsp::Client;

/// One running progress bar in the editor.
pub struct WorkDone {
    client: Client,
    token: Option<NumberOrString>,
    last_percentage: Option<u32>,
}

impl WorkDone {
    /// Starts a progress bar if the client supports them.
    pub async fn begin(client: &Client, supported: bool, token: String, title: &str) -> WorkDone {
        let mut work = WorkDone {
            client: client.clone(),
            token: None,
            last_percentage: None,
        };
        if !supported {
            return work;
        }
        let token = NumberOrString::String(token);
        let created = client
            .send_request::<WorkDoneProgressCreate>(WorkDoneProgressCreateParams {
                token: token.clone(),
            })
            .await;
        if created.is_err() {
            return work;
        }
        work.token = Some(token);
        work.send(WorkDoneProgress::Begin(WorkDoneProgressBegin {
            title: title.to_string(),
            cancellable: Some(false),
            message: None,
            percentage: Some(0),
        }))
        .await;
        work
    }

    /// Reports `done` of `total`; repeated percentages are not re-sent, so a
    /// build reporting every file does not flood the editor.
    pub async fn report(&mut self, done: usize, total: usize) {
        let percentage = (done.min(total) * 100).checked_div(total).unwrap_or(0) as u32;
        if self.last_percentage == Some(percentage) {
            return;
        }
        self.last_percentage = Some(percentage);
        self.send(WorkDoneProgress::Report(WorkDoneProgressReport {
            cancellable: Some(false),
            message: Some(format!("{done}/{total}")),
            percentage: Some(percentage),
        }))
        .await;
    }

    pub async fn end(self, message: String) {
        let message = (!message.is_empty()).then_some(message);
        self.send(WorkDoneProgress::End(WorkDoneProgressEnd { message }))
            .await;
    }

    async fn send(&self, value: WorkDoneProgress) {
        if let Some(token) = &self.token {
            self.client
                .send_notification::<Progress>(ProgressParams {
                    token: token.clone(),
                    value: ProgressParamsValue::WorkDone(value),
                })
                .await;
        }
    }
}
