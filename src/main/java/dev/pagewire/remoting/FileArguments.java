package dev.pagewire.remoting;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import dev.pagewire.FileUpload;
import dev.pagewire.convert.ConversionException;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * Parameters that take the files of a multipart call: {@link FileUpload}, {@code FileUpload[]},
 * {@code List<FileUpload>} and {@code Collection<FileUpload>}. The page's argument names a file by
 * its index, {@code {"$file": 0}} (or an array of such); the files themselves came as parts of
 * the request. Stateless.
 */
final class FileArguments {
    private FileArguments() {
    }

    /** Whether a parameter of {@code type} takes files. */
    static boolean accepts(Type type) {
        if (type == FileUpload.class || type == FileUpload[].class) {
            return true;
        }
        return type instanceof ParameterizedType p && (p.getRawType() == List.class || p.getRawType() == Collection.class)
                && p.getActualTypeArguments()[0] == FileUpload.class;
    }

    /**
     * The files {@code json} names, as {@code type}.
     *
     * @throws ConversionException for anything but a reference to a file the call carried
     */
    static Object convert(JsonElement json, Type type, List<FileUpload> files) {
        if (json.isJsonNull()) {
            return null;
        }
        if (type == FileUpload.class) {
            return file(json, files);
        }
        if (!json.isJsonArray()) {
            throw new ConversionException("expected an array of files");
        }
        JsonArray array = json.getAsJsonArray();
        List<FileUpload> list = new ArrayList<>(array.size());
        for (JsonElement e : array) {
            list.add(file(e, files));
        }
        return type == FileUpload[].class ? list.toArray(FileUpload[]::new) : List.copyOf(list);
    }

    private static FileUpload file(JsonElement json, List<FileUpload> files) {
        JsonElement index = json.isJsonObject() && json.getAsJsonObject().size() == 1
                ? ((JsonObject) json).get("$file") : null;
        if (index == null || !index.isJsonPrimitive() || !index.getAsJsonPrimitive().isNumber()) {
            throw new ConversionException("expected a file (a File or Blob sent by the page)");
        }
        double i = index.getAsDouble();
        if (i != Math.rint(i) || i < 0 || i >= files.size()) {
            throw new ConversionException("no file " + index + " came with this call");
        }
        return files.get((int) i);
    }
}
