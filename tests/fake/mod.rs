//! A fake provider on 127.0.0.1 for the loopback tests (tests/http.rs,
//! tests/cli.rs): a listener thread and one thread per connection, each
//! answering one request with `Connection: close`. Handlers see every request
//! (method, path, headers, body) and its arrival number.
#![allow(dead_code)]

use std::collections::HashMap;
use std::io::{Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::Duration;

#[derive(Clone, Debug)]
pub struct Request {
    pub method: String,
    pub path: String,
    pub headers: HashMap<String, String>,
    pub body: String,
}

pub enum Reply {
    Json(u16, Vec<(&'static str, String)>, String),
    Bytes(u16, &'static str, Vec<u8>),
    /// A body sent with no Content-Length, ended by closing the connection.
    Unsized(u16, Vec<u8>),
    Slow(Duration, Box<Reply>),
    /// `len` bytes of `byte` with a Content-Length, written in 64 KiB chunks
    /// without being held whole.
    Filled(u16, u8, usize),
}

pub fn json(status: u16, body: &str) -> Reply {
    Reply::Json(status, Vec::new(), body.to_owned())
}

pub type Handler = dyn Fn(&Request, usize) -> Reply + Send + Sync;

pub struct Fake {
    pub addr: SocketAddr,
    requests: Arc<Mutex<Vec<Request>>>,
    pub max_in_flight: Arc<AtomicUsize>,
    stop: Arc<AtomicBool>,
    thread: Option<JoinHandle<()>>,
}

impl Fake {
    pub fn start(handler: impl Fn(&Request, usize) -> Reply + Send + Sync + 'static) -> Fake {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        listener.set_nonblocking(true).unwrap();
        let addr = listener.local_addr().unwrap();
        let requests = Arc::new(Mutex::new(Vec::new()));
        let max_in_flight = Arc::new(AtomicUsize::new(0));
        let stop = Arc::new(AtomicBool::new(false));
        let handler: Arc<Handler> = Arc::new(handler);
        let thread = {
            let (requests, max_in_flight, stop) =
                (requests.clone(), max_in_flight.clone(), stop.clone());
            let in_flight = Arc::new(AtomicUsize::new(0));
            let count = Arc::new(AtomicUsize::new(0));
            std::thread::spawn(move || {
                while !stop.load(Ordering::SeqCst) {
                    match listener.accept() {
                        Ok((stream, _)) => {
                            let (handler, requests, in_flight, max_in_flight, count) = (
                                handler.clone(),
                                requests.clone(),
                                in_flight.clone(),
                                max_in_flight.clone(),
                                count.clone(),
                            );
                            std::thread::spawn(move || {
                                serve(
                                    stream,
                                    &*handler,
                                    &requests,
                                    &in_flight,
                                    &max_in_flight,
                                    &count,
                                )
                            });
                        }
                        Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => {
                            std::thread::sleep(Duration::from_millis(2));
                        }
                        Err(_) => break,
                    }
                }
            })
        };
        Fake {
            addr,
            requests,
            max_in_flight,
            stop,
            thread: Some(thread),
        }
    }

    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    pub fn requests(&self) -> Vec<Request> {
        self.requests.lock().unwrap().clone()
    }
}

impl Drop for Fake {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

fn serve(
    mut stream: TcpStream,
    handler: &Handler,
    requests: &Mutex<Vec<Request>>,
    in_flight: &AtomicUsize,
    max_in_flight: &AtomicUsize,
    count: &AtomicUsize,
) {
    let _ = stream.set_nonblocking(false);
    let _ = stream.set_read_timeout(Some(Duration::from_secs(5)));
    let Some(request) = read_request(&mut stream) else {
        return;
    };
    let now = in_flight.fetch_add(1, Ordering::SeqCst) + 1;
    max_in_flight.fetch_max(now, Ordering::SeqCst);
    let index = count.fetch_add(1, Ordering::SeqCst);
    requests.lock().unwrap().push(request.clone());
    let reply = handler(&request, index);
    write_reply(&mut stream, reply);
    in_flight.fetch_sub(1, Ordering::SeqCst);
}

fn read_request(stream: &mut TcpStream) -> Option<Request> {
    let mut data = Vec::new();
    let mut buf = [0u8; 4096];
    let head_end = loop {
        if let Some(i) = data.windows(4).position(|w| w == b"\r\n\r\n") {
            break i + 4;
        }
        let n = stream.read(&mut buf).ok()?;
        if n == 0 || data.len() > 1 << 20 {
            return None;
        }
        data.extend_from_slice(&buf[..n]);
    };
    let head = String::from_utf8_lossy(&data[..head_end]).to_string();
    let mut lines = head.split("\r\n");
    let mut first = lines.next()?.split(' ');
    let (method, path) = (first.next()?.to_owned(), first.next()?.to_owned());
    let headers: HashMap<String, String> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_owned()))
        .collect();
    let len: usize = headers
        .get("content-length")
        .and_then(|v| v.parse().ok())
        .unwrap_or(0);
    let mut body = data[head_end..].to_vec();
    while body.len() < len {
        let n = stream.read(&mut buf).ok()?;
        if n == 0 {
            return None;
        }
        body.extend_from_slice(&buf[..n]);
    }
    Some(Request {
        method,
        path,
        headers,
        body: String::from_utf8_lossy(&body).to_string(),
    })
}

fn write_reply(stream: &mut TcpStream, reply: Reply) {
    let (status, headers, body, sized) = match reply {
        Reply::Slow(wait, inner) => {
            std::thread::sleep(wait);
            return write_reply(stream, *inner);
        }
        Reply::Json(status, headers, body) => (status, headers, body.into_bytes(), true),
        Reply::Bytes(status, kind, body) => {
            (status, vec![("Content-Type", kind.to_owned())], body, true)
        }
        Reply::Unsized(status, body) => (status, Vec::new(), body, false),
        Reply::Filled(status, byte, len) => {
            let head = format!(
                "HTTP/1.1 {status} X\r\nConnection: close\r\nContent-Type: image/png\r\nContent-Length: {len}\r\n\r\n"
            );
            if stream.write_all(head.as_bytes()).is_err() {
                return;
            }
            let chunk = vec![byte; 64 * 1024];
            let mut left = len;
            while left > 0 {
                let n = left.min(chunk.len());
                if stream.write_all(&chunk[..n]).is_err() {
                    return;
                }
                left -= n;
            }
            let _ = stream.flush();
            return;
        }
    };
    let mut head = format!("HTTP/1.1 {status} X\r\nConnection: close\r\n");
    if !headers.iter().any(|(k, _)| *k == "Content-Type") {
        head.push_str("Content-Type: application/json\r\n");
    }
    for (k, v) in headers {
        head.push_str(&format!("{k}: {v}\r\n"));
    }
    if sized {
        head.push_str(&format!("Content-Length: {}\r\n", body.len()));
    }
    head.push_str("\r\n");
    if stream.write_all(head.as_bytes()).is_err() {
        return;
    }
    for chunk in body.chunks(64 * 1024) {
        if stream.write_all(chunk).is_err() {
            return;
        }
    }
    let _ = stream.flush();
}
