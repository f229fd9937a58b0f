package dev.pagewire.remoting;

import com.google.gson.stream.JsonWriter;
import dev.pagewire.convert.JsonCodec;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * Encodes replies as {@code "replies":[...]} into a buffer. A result that fails to encode (a
 * cycle, a non-finite double) is rolled back and replaced by an {@code INTERNAL} error for that
 * call, so one bad result never corrupts the others.
 */
public final class ReplyWriter {
    private final JsonCodec codec;

    public ReplyWriter(JsonCodec codec) {
        this.codec = codec;
    }

    /** Appends {@code "replies":[...]} (a member, without braces) to {@code out}. */
    public void write(List<Reply> replies, StringWriter out) {
        StringBuffer buffer = out.getBuffer();
        buffer.append("\"replies\":[");
        for (int i = 0; i < replies.size(); i++) {
            if (i > 0) {
                buffer.append(',');
            }
            int mark = buffer.length();
            Reply reply = replies.get(i);
            try {
                writeReply(reply, out);
            } catch (RuntimeException | IOException e) {
                buffer.setLength(mark);
                writeError(reply.id(), Incidents.internal("encoding the result of call " + reply.id(), e), out);
            }
        }
        buffer.append(']');
    }

    private void writeReply(Reply reply, StringWriter out) throws IOException {
        if (reply.error() != null) {
            writeError(reply.id(), reply.error(), out);
            return;
        }
        JsonWriter w = new JsonWriter(out);
        w.beginObject().name("id").value(reply.id());
        if (reply.type() != void.class) {
            w.name("result");
            codec.write(w, reply.result(), reply.type());
        }
        w.endObject().flush();
    }

    private static void writeError(long id, CallError error, StringWriter out) {
        try {
            JsonWriter w = new JsonWriter(out);
            w.beginObject().name("id").value(id).name("error").beginObject().name("code").value(error.code());
            if (error.name() != null) {
                w.name("name").value(error.name());
            }
            w.name("message").value(error.message());
            if (error.incident() != null) {
                w.name("incident").value(error.incident());
            }
            w.endObject().endObject().flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a StringWriter does not fail
        }
    }
}
