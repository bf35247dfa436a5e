//! End-to-end tests of `graf serve`: the real binary serving a real index, driven over HTTP
//! (the API and pages, checked against docs/openapi.json) and in a real headless browser.

mod api;
mod browser;
mod openapi;
mod server;
