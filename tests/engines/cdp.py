"""A minimal Chrome DevTools Protocol driver over --remote-debugging-pipe (standard library only),
for the browser tests of `brikg serve` (tests/serve.rs runs tests/engines/browser_check.py)."""
import base64, json, os, subprocess, tempfile, time, select


class Browser:
    def __init__(self, width=1280, height=900):
        r1, w1 = os.pipe()  # we write -> chrome fd 3
        r2, w2 = os.pipe()  # chrome fd 4 -> we read
        self.udd = tempfile.mkdtemp()
        self.proc = subprocess.Popen(
            ["sh", "-c", f'exec "$@" 3<&{r1} 4>&{w2}' + ''.join(f' {x}>&-' for x in (r1, w2) if x not in (3, 4)), "sh", "chromium", "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
             "--no-first-run", "--user-data-dir=" + self.udd, "--remote-debugging-pipe",
             f"--window-size={width},{height}", "about:blank"],
            pass_fds=(r1, w2), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        os.close(r1); os.close(w2)
        self.w, self.r = w1, r2
        self.buf = b""
        self.id = 0
        self.events = []
        targets = self.call("Target.getTargets")["targetInfos"]
        tid = [t for t in targets if t["type"] == "page"][0]["targetId"]
        self.sid = self.call("Target.attachToTarget", targetId=tid, flatten=True)["sessionId"]
        for d in ("Page", "Runtime", "Log"):
            self.call(d + ".enable", session=True)

    def _read(self, timeout=30):
        end = time.time() + timeout
        while b"\0" not in self.buf:
            rem = end - time.time()
            if rem <= 0:
                raise TimeoutError("cdp read")
            if select.select([self.r], [], [], rem)[0]:
                chunk = os.read(self.r, 1 << 20)
                if not chunk:
                    raise EOFError("chrome closed")
                self.buf += chunk
        msg, self.buf = self.buf.split(b"\0", 1)
        return json.loads(msg)

    def call(self, method, session=False, **params):
        self.id += 1
        m = {"id": self.id, "method": method, "params": params}
        if session:
            m["sessionId"] = self.sid
        os.write(self.w, json.dumps(m).encode() + b"\0")
        while True:
            r = self._read()
            if r.get("id") == self.id:
                if "error" in r:
                    raise RuntimeError(f"{method}: {r['error']}")
                return r.get("result", {})
            self.events.append(r)

    def s(self, method, **params):
        return self.call(method, session=True, **params)

    def js(self, expr, await_promise=True):
        r = self.s("Runtime.evaluate", expression=expr, awaitPromise=await_promise, returnByValue=True)
        if "exceptionDetails" in r:
            raise RuntimeError("js: " + json.dumps(r["exceptionDetails"])[:500])
        return r["result"].get("value")

    def goto(self, url):
        self.s("Page.navigate", url=url)

    def wait(self, expr, timeout=10):
        end = time.time() + timeout
        while time.time() < end:
            try:
                v = self.js(expr)
                if v:
                    return v
            except RuntimeError:
                pass
            time.sleep(0.1)
        raise TimeoutError("wait: " + expr)

    def shot(self, path, full=False):
        kw = {"format": "png"}
        if full:
            kw["captureBeyondViewport"] = True
        data = self.s("Page.captureScreenshot", **kw)["data"]
        open(path, "wb").write(base64.b64decode(data))

    def key(self, key, code=None, keycode=0, text=None, modifiers=0):
        base = {"key": key, "code": code or key, "windowsVirtualKeyCode": keycode, "modifiers": modifiers}
        self.s("Input.dispatchKeyEvent", type="keyDown" if text is None else "keyDown", text=text or "", **base)
        self.s("Input.dispatchKeyEvent", type="keyUp", **base)

    def tab(self, shift=False):
        self.key("Tab", keycode=9, modifiers=8 if shift else 0)

    def enter(self, modifiers=0):
        self.key("Enter", keycode=13, text="\r", modifiers=modifiers)

    def type(self, text):
        self.s("Input.insertText", text=text)

    def size(self, w, h, mobile=False):
        self.s("Emulation.setDeviceMetricsOverride", width=w, height=h, deviceScaleFactor=1, mobile=mobile)

    def logs(self):
        out = []
        for e in self.events:
            m = e.get("method")
            if m == "Runtime.exceptionThrown":
                out.append("EXC " + json.dumps(e["params"]["exceptionDetails"])[:400])
            elif m == "Runtime.consoleAPICalled":
                out.append("CONSOLE " + " ".join(str(a.get("value")) for a in e["params"]["args"]))
            elif m == "Log.entryAdded":
                out.append("LOG " + e["params"]["entry"]["level"] + " " + e["params"]["entry"]["text"] + " " + e["params"]["entry"].get("url", ""))
        return out

    def close(self):
        try:
            self.call("Browser.close")
        except Exception:
            pass
        self.proc.wait(timeout=10)

    def shot_element(self, selector, path):
        """A screenshot of one element of the page (scrolled into view), e.g. a chart."""
        box = self.js(f"(() => {{ const e = document.querySelector({json.dumps(selector)}); e.scrollIntoView(); "
                      "const r = e.getBoundingClientRect(); return {x: r.x + scrollX, y: r.y + scrollY, width: r.width, height: r.height}; })()")
        data = self.s("Page.captureScreenshot", format="png", captureBeyondViewport=True,
                      clip={**box, "scale": 1})["data"]
        open(path, "wb").write(base64.b64decode(data))

    def color_scheme(self, scheme):
        """Emulates the system's light or dark setting (prefers-color-scheme)."""
        self.s("Emulation.setEmulatedMedia", features=[{"name": "prefers-color-scheme", "value": scheme}])
