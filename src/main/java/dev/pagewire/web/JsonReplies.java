package dev.pagewire.web;

import com.google.gson.stream.JsonWriter;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.StringWriter;

/** Writes JSON replies and refusals with the headers every Pagewire reply carries. */
public final class JsonReplies {
    private JsonReplies() {
    }

    /** Sends {@code json} with status 200. */
    public static void send(HttpServletResponse response, String json) throws IOException {
        prepareOk(response);
        response.getWriter().write(json);
    }

    /** Sets status 200 and the headers of a JSON reply, for a body written later or elsewhere. */
    public static void prepareOk(HttpServletResponse response) {
        response.setStatus(200);
        prepare(response);
    }

    /** Sends the refusal as {@code {"error":{"code":..,"message":..}}} with its status. */
    public static void refuse(HttpServletResponse response, Refusal refusal) throws IOException {
        if (response.isCommitted()) {
            return;
        }
        response.resetBuffer();
        response.setStatus(refusal.status());
        prepare(response);
        StringWriter body = new StringWriter();
        try (JsonWriter w = new JsonWriter(body)) {
            w.beginObject().name("error").beginObject()
                    .name("code").value(refusal.code())
                    .name("message").value(refusal.getMessage())
                    .endObject().endObject();
        }
        response.getWriter().write(body.toString());
    }

    private static void prepare(HttpServletResponse response) {
        response.setContentType("application/json");
        response.setCharacterEncoding("UTF-8");
        response.setHeader("Cache-Control", "no-store");
        response.setHeader("X-Content-Type-Options", "nosniff");
    }
}
