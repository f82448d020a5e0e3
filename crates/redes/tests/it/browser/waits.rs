//! Submitting a form and waiting for the page it leads to. A page that
//! redirects back to itself has the same address and the same headings,
//! so waiting for "an h1" can find the old page's and read it while it is
//! being replaced (the stale-element flakes seen on PostgreSQL, whose
//! writes take a little longer): wait until the old document is gone.

use super::*;

impl Browser {
    /// Clicks the button (or link) and waits until the browser has left
    /// the current document; what is looked for next is then on the new
    /// page.
    pub(crate) async fn submit(&self, button: &str) {
        let element = self.css(button).await;
        self.click_to_new_page(element, button).await;
    }

    /// Clicks an element found already and waits for the new document
    /// (its root element goes stale when the old one is replaced).
    pub(crate) async fn click_to_new_page(&self, element: Element, what: &str) {
        let old = self
            .client
            .find(Locator::Css("html"))
            .await
            .expect("the current page");
        element
            .click()
            .await
            .unwrap_or_else(|e| panic!("click {what}: {e}"));
        for _ in 0..200 {
            if old.tag_name().await.is_err() {
                return;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        panic!(
            "clicking {what} did not lead to a new page: {}",
            self.where_am_i().await
        );
    }
}
