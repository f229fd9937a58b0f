package dev.pagewire.script;

import dev.pagewire.remoting.ProxyRegistry;
import dev.pagewire.remoting.RemoteMethodInfo;
import dev.pagewire.remoting.RemoteParameter;
import dev.pagewire.remoting.RemoteProxyInfo;
import java.util.List;

/**
 * The page at {@code {mount}/} when debug is on: the live figures (polled from {@code
 * {mount}/metrics.json}), and every proxy and method, with a form per method that calls it through
 * the real engine and shows the JSON result or error.
 */
public final class DebugPage {
    private DebugPage() {
    }

    /** The page's HTML for scripts mounted at {@code mount}. */
    public static String html(ProxyRegistry registry, String mount) {
        StringBuilder s = new StringBuilder("""
                <!doctype html>
                <html lang="en"><head><meta charset="utf-8">
                <meta name="viewport" content="width=device-width, initial-scale=1">
                <title>Pagewire debug</title><link rel="icon" href="data:,">
                <style>
                body{font:15px/1.45 system-ui,sans-serif;margin:2rem auto;max-width:60rem;padding:0 1rem;color:#222}
                h2{margin-top:2rem;border-bottom:1px solid #ddd}code,textarea,pre{font:13px ui-monospace,monospace}
                form{margin:1rem 0;padding:.75rem;background:#f6f7f9;border-radius:6px}
                label{display:block;margin:.3rem 0}textarea{width:100%;box-sizing:border-box;height:2.2rem}
                pre{white-space:pre-wrap;background:#fff;padding:.5rem;min-height:1.2rem}.err{color:#a00}
                </style></head><body>
                <h1>Pagewire debug</h1>
                <p>Arguments are JSON. This page is served because debug is on; turn it off in production.</p>
                """);
        s.append("<h2 id=\"figures\">Figures <small>(live, <a href=\"").append(escape(mount))
                .append("/metrics.json\">metrics.json</a>; docs/OBSERVABILITY.md)</small></h2>\n")
                .append("<table id=\"figure-table\" data-src=\"").append(escape(mount))
                .append("/metrics.json\"></table>\n");
        s.append("<script src=\"").append(escape(mount)).append("/engine.js\"></script>\n");
        for (RemoteProxyInfo proxy : registry.all()) {
            s.append("<script src=\"").append(escape(mount)).append("/interface/")
                    .append(proxy.name()).append(".js\"></script>\n");
        }
        for (RemoteProxyInfo proxy : registry.all()) {
            s.append("<h2 id=\"").append(proxy.name()).append("\">").append(proxy.name())
                    .append(" <small><code>").append(escape(proxy.type().getName())).append("</code>, scope ")
                    .append(proxy.scope()).append(" (<a href=\"").append(escape(mount)).append("/interface/")
                    .append(proxy.name()).append(".d.ts\">.d.ts</a>)</small></h2>\n");
            for (RemoteMethodInfo m : proxy.allMethods()) {
                form(s, proxy.name(), m);
            }
        }
        return s.append(SCRIPT).append("</body></html>\n").toString();
    }

    private static void form(StringBuilder s, String proxy, RemoteMethodInfo m) {
        List<RemoteParameter> sent = m.sentParameters();
        s.append("<form data-proxy=\"").append(proxy).append("\" data-method=\"").append(m.name()).append("\">")
                .append("<strong>").append(m.name()).append("</strong>(")
                .append(String.join(", ", sent.stream().map(p -> escape(p.type().getTypeName())).toList()))
                .append(") &rarr; <code>").append(escape(m.returnType().getTypeName())).append("</code>\n");
        for (RemoteParameter p : sent) {
            s.append("<label>").append(escape(p.name())).append(" <textarea name=\"arg\"></textarea></label>\n");
        }
        s.append("<button>Call</button><pre class=\"out\"></pre></form>\n");
    }

    private static final String SCRIPT = """
            <script>
            // The live figures: metrics.json every two seconds, while this page is open.
            (function showFigures() {
              const table = document.getElementById('figure-table');
              const row = (name, value) => {
                const tr = table.insertRow();
                tr.insertCell().textContent = name;
                tr.insertCell().textContent = typeof value === 'object' ? JSON.stringify(value) : String(value);
              };
              const refresh = async () => {
                try {
                  const figures = await (await fetch(table.dataset.src, { cache: 'no-store' })).json();
                  table.replaceChildren();
                  for (const [name, value] of Object.entries(figures)) {
                    if (name !== 'calls') row(name, value);
                  }
                  for (const t of figures.calls) {
                    row(`${t.proxy}.${t.method} ${t.outcome}`, `${t.count} calls, mean ${(t.totalNanos / t.count / 1e6).toFixed(3)} ms, max ${(t.maxNanos / 1e6).toFixed(3)} ms`);
                  }
                } catch (e) {
                  table.replaceChildren();
                  row('error', String(e));
                }
              };
              refresh();
              setInterval(refresh, 2000);
            })();
            document.addEventListener('submit', async (event) => {
              event.preventDefault();
              const form = event.target;
              const out = form.querySelector('.out');
              out.className = 'out';
              try {
                const args = [...form.querySelectorAll('textarea')].map((t) => t.value.trim() === '' ? null : JSON.parse(t.value));
                const result = await window[form.dataset.proxy][form.dataset.method](...args);
                out.textContent = JSON.stringify(result, null, 2) ?? 'undefined (void)';
              } catch (e) {
                out.className = 'out err';
                out.textContent = (e.name || 'Error') + ': ' + e.message + (e.code ? ' [' + e.code + ']' : '');
              }
            });
            </script>
            """;

    static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
