//! Bounded hand-off of passages to tantivy's indexing threads.
//!
//! An article's passages go to tantivy as one batch, so that they are consecutive documents
//! of one segment (what `search::article` relies on). tantivy queues up to 10,000 *batches*
//! before `IndexWriter::run` blocks, so with whole articles its queue could hold 10,000
//! articles: 230 MB more peak memory on the Gutenberg sample (557 MB against 317 MB at a
//! 256 MB budget), and gigabytes for corpora of book-length articles. So ingest hands tantivy
//! [`Paced`] documents: each carries a ticket of a [`Gate`] that tantivy drops once it has
//! indexed the document, and the writer's side waits while more than [`Gate::new`]'s bound of
//! passages are queued. An article longer than the bound is let through alone when the queue
//! is empty, so it can never wait forever.

use std::sync::{Arc, Condvar, Mutex, PoisonError};

use tantivy::schema::Document;
use tantivy::TantivyDocument;

/// Passages queued for tantivy at most (one longer article excepted): tantivy's own queue
/// length in documents, when each is sent alone.
pub const QUEUED_PASSAGES: usize = 10_000;

/// Counts the passages handed to tantivy and not yet indexed.
#[derive(Debug)]
pub struct Gate {
    queued: Mutex<usize>,
    drained: Condvar,
    bound: usize,
}

impl Gate {
    /// A gate letting at most `bound` passages wait in tantivy's queue.
    pub fn new(bound: usize) -> Arc<Gate> {
        Arc::new(Gate {
            queued: Mutex::new(0),
            drained: Condvar::new(),
            bound,
        })
    }

    /// Waits while the queue is more than half full or `passages` more would overflow it
    /// (unless nothing is queued), then counts them as queued: the writer is woken once per
    /// half queue drained rather than once per passage; each is let go by dropping the ticket of its [`Paced`] document.
    pub fn admit(self: &Arc<Self>, passages: usize) {
        let queued = self.queued.lock().unwrap_or_else(PoisonError::into_inner);
        let mut queued = self
            .drained
            .wait_while(queued, |queued| {
                *queued > 0 && (*queued + passages > self.bound || *queued > self.bound / 2)
            })
            .unwrap_or_else(PoisonError::into_inner);
        *queued += passages;
    }

    /// `doc` as a document whose indexing lets one admitted passage go.
    pub fn paced(self: &Arc<Self>, doc: TantivyDocument) -> Paced {
        Paced {
            doc,
            _ticket: Ticket(Arc::clone(self)),
        }
    }

    /// Passages admitted and not yet indexed.
    pub fn queued(&self) -> usize {
        *self.queued.lock().unwrap_or_else(PoisonError::into_inner)
    }

    fn release(&self) {
        let mut queued = self.queued.lock().unwrap_or_else(PoisonError::into_inner);
        *queued = queued.saturating_sub(1);
        // Wake a waiting writer only when the queue has drained to half or to empty, not at
        // every passage: a wake-up per indexed passage cost a fifth of ingest's time.
        if *queued == self.bound / 2 || *queued == 0 {
            self.drained.notify_all();
        }
    }
}

/// Lets one passage go when dropped.
#[derive(Debug)]
struct Ticket(Arc<Gate>);

impl Drop for Ticket {
    fn drop(&mut self) {
        self.0.release();
    }
}

/// A passage document with its ticket; tantivy drops it once the passage is indexed.
#[derive(Debug)]
pub struct Paced {
    doc: TantivyDocument,
    _ticket: Ticket,
}

impl Document for Paced {
    type Value<'a> = <TantivyDocument as Document>::Value<'a>;
    type FieldsValuesIter<'a> = <TantivyDocument as Document>::FieldsValuesIter<'a>;

    fn iter_fields_and_values(&self) -> Self::FieldsValuesIter<'_> {
        self.doc.iter_fields_and_values()
    }

    fn into_tantivy_document(self) -> TantivyDocument {
        self.doc
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;

    #[test]
    fn admits_up_to_the_bound_and_waits_for_indexed_passages() {
        let gate = Gate::new(3);
        gate.admit(2);
        let first: Vec<Paced> = (0..2).map(|_| gate.paced(TantivyDocument::new())).collect();
        assert_eq!(gate.queued(), 2);
        let waiting = {
            let gate = Arc::clone(&gate);
            std::thread::spawn(move || gate.admit(2))
        };
        std::thread::sleep(Duration::from_millis(50));
        assert!(
            !waiting.is_finished(),
            "2 + 2 passages exceed the bound of 3"
        );
        drop(first);
        waiting.join().unwrap();
        // The two tickets were dropped (never made for the second admission).
        assert_eq!(gate.queued(), 2);
    }

    #[test]
    fn an_article_longer_than_the_bound_passes_when_nothing_is_queued() {
        let gate = Gate::new(3);
        gate.admit(50);
        assert_eq!(gate.queued(), 50);
    }
}
