package io.nightshift.operator.cache;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.Inflater;

/**
 * Deflates the CronJob specs the cache keeps, with the first spec stored as the dictionary. Every
 * CronJob the operator renders is the same template with a few values changed, so against the first
 * one a 2.5 KB spec becomes a couple of hundred bytes; alone, deflate only halves it.
 */
final class SpecCompression {

    private final Deflater deflater = new Deflater(Deflater.BEST_COMPRESSION);
    private volatile byte[] dictionary;

    /** The spec's JSON, deflated against the dictionary (which it becomes if there is none yet). */
    byte[] compress(byte[] json) {
        byte[] dict = dictionary(json);
        synchronized (deflater) {
            deflater.reset();
            deflater.setDictionary(dict);
            deflater.setInput(json);
            deflater.finish();
            ByteArrayOutputStream out = new ByteArrayOutputStream(json.length / 4 + 64);
            byte[] buffer = new byte[4096];
            while (!deflater.finished()) {
                out.write(buffer, 0, deflater.deflate(buffer));
            }
            return out.toByteArray();
        }
    }

    /** The JSON {@link #compress} was given, {@code length} bytes of it. */
    byte[] expand(byte[] compressed, int length) {
        Inflater inflater = new Inflater();
        try {
            inflater.setInput(compressed);
            byte[] json = new byte[length];
            int read = inflater.inflate(json);
            if (inflater.needsDictionary()) {
                inflater.setDictionary(dictionary);
                read += inflater.inflate(json, read, length - read);
            }
            if (read != length || !inflater.finished()) {
                throw new IllegalStateException("a cached CronJob spec expanded to " + read + " bytes, not " + length);
            }
            return json;
        } catch (DataFormatException e) {
            throw new IllegalStateException("a cached CronJob spec could not be expanded", e);
        } finally {
            inflater.end();
        }
    }

    private byte[] dictionary(byte[] first) {
        byte[] dict = dictionary;
        if (dict == null) {
            synchronized (this) {
                if (dictionary == null) {
                    dictionary = Arrays.copyOf(first, first.length);
                }
                dict = dictionary;
            }
        }
        return dict;
    }
}
