import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.mockwebserver.crud.Attribute;
import io.fabric8.mockwebserver.crud.AttributeSet;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The CRUD mock answers a list with every item at once; a real API server honours {@code limit} and
 * {@code continue} (the informers list in pages of 500). Without that, the benchmark would measure
 * one 100 MB answer rather than the operator.
 */
final class PagingDispatcher extends KubernetesCrudDispatcher {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** The full answer being paged through, per list request: the pages come from it, as from a server's snapshot. */
    private final java.util.Map<String, ObjectNode> snapshots = new java.util.concurrent.ConcurrentHashMap<>();

    /** CronJob updates and patches: at a restart with nothing changed, an operator should make none. */
    static final java.util.concurrent.atomic.AtomicLong CRONJOB_WRITES = new java.util.concurrent.atomic.AtomicLong();

    /** Stored keys by name and namespace, as a server's store has them: see {@link #findResource}. */
    private final java.util.Map<List<Attribute>, List<AttributeSet>> byName = new java.util.concurrent.ConcurrentHashMap<>();

    PagingDispatcher() {
        super(List.of());
    }

    /**
     * The object a patch, update or delete names. The mock scans every stored object for it, so at 22,000
     * objects each status patch cost its one event loop about 10 ms, and the operator's restart waited on
     * that; a real API server finds an object by its key. Here the stored keys are indexed by name and
     * namespace once; a key from the index counts only when it is still stored and matches the request
     * (a patch that changes labels stores the object under a new key). Otherwise the mock's scan runs, and
     * what it finds joins the index.
     */
    @Override
    public java.util.Map.Entry<AttributeSet, String> findResource(AttributeSet query) {
        if (byName.isEmpty()) {
            getMap().keySet().forEach(this::index);
        }
        for (AttributeSet key : byName.getOrDefault(nameOf(query), List.of())) {
            String stored = getMap().get(key);
            if (stored != null && key.matches(query)) {
                return new java.util.AbstractMap.SimpleImmutableEntry<>(key, stored);
            }
        }
        java.util.Map.Entry<AttributeSet, String> entry = super.findResource(query);
        if (entry != null) {
            index(entry.getKey());
        }
        return entry;
    }

    private void index(AttributeSet key) {
        byName.merge(nameOf(key), List.of(key), (a, b) -> {
            List<AttributeSet> keys = new java.util.ArrayList<>(a.size() + 1);
            a.stream().filter(getMap()::containsKey).forEach(keys::add);
            keys.addAll(b);
            return keys;
        });
    }

    private static List<Attribute> nameOf(AttributeSet set) {
        return java.util.Arrays.asList(set.getAttribute("name"), set.getAttribute("namespace"));
    }

    @Override
    public io.fabric8.mockwebserver.http.MockResponse dispatch(io.fabric8.mockwebserver.http.RecordedRequest request) {
        String method = request.getMethod();
        if ((method.equals("PUT") || method.equals("PATCH")) && request.getPath().contains("/cronjobs/")) {
            CRONJOB_WRITES.incrementAndGet();
        }
        return super.dispatch(request);
    }

    @Override
    public io.fabric8.mockwebserver.http.MockResponse handleGet(String path) {
        Matcher limit = Pattern.compile("[?&]limit=(\\d+)").matcher(path);
        if (path.contains("watch=") || !limit.find()) {
            return super.handleGet(path);
        }
        Matcher from = Pattern.compile("[?&]continue=(\\d+)").matcher(path);
        int offset = from.find() ? Integer.parseInt(from.group(1)) : 0;
        int size = Integer.parseInt(limit.group(1));
        String all = path.replaceAll("([?&])(limit|continue)=[^&]*", "$1").replaceAll("&&+", "&").replaceAll("[?&]$", "");
        io.fabric8.mockwebserver.http.MockResponse response = new io.fabric8.mockwebserver.http.MockResponse().setResponseCode(200);
        try {
            // The informers list once at start (and again only after a lost watch): the first answer serves every page.
            ObjectNode list = snapshots.get(all);
            if (list == null) {
                response = super.handleGet(all);
                if (response.code() != 200) {
                    return response;
                }
                list = (ObjectNode) JSON.readTree(response.getBody().getBytes());
                if (!list.has("items")) {
                    return response;
                }
                snapshots.put(all, list);
            }
            com.fasterxml.jackson.databind.node.ArrayNode items = (com.fasterxml.jackson.databind.node.ArrayNode) list.get("items");
            com.fasterxml.jackson.databind.node.ArrayNode page = JSON.createArrayNode();
            for (int i = offset; i < Math.min(items.size(), offset + size); i++) {
                page.add(items.get(i));
            }
            ObjectNode snapshot = list;
            list = JSON.createObjectNode();
            for (java.util.Iterator<java.util.Map.Entry<String, com.fasterxml.jackson.databind.JsonNode>> it = snapshot.fields(); it.hasNext(); ) {
                java.util.Map.Entry<String, com.fasterxml.jackson.databind.JsonNode> f = it.next();
                list.set(f.getKey(), f.getKey().equals("metadata") ? f.getValue().deepCopy() : f.getValue());
            }
            list.set("items", page);
            ObjectNode meta = list.with("metadata");
            if (offset + size < items.size()) {
                meta.put("continue", String.valueOf(offset + size));
            } else {
                meta.remove("continue");
            }
            return response.setBody(JSON.writeValueAsBytes(list));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
