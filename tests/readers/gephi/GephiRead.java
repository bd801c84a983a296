// Loads graph files through the Gephi toolkit's ImportController, as Gephi Desktop does
// (File > Open, default settings, DefaultProcessor into a new workspace), and prints what
// Gephi ended up with as one JSON object per file on standard output:
//
//   {"file": ..., "nodes": n, "edges": m, "directed": d, "undirected": u,
//    "time_format": "DATE", "node_list": [{"id", "label"}],
//    "edge_list": [{"id", "source", "target", "directed", "kind", "label", "weight",
//                   "intervals": [["2023-01-01", "2023-11-17"], ...]}]}
//
// Interval ends are Gephi's (inclusive) bounds, printed as dates in the graph's time zone
// when the time format is a date, else as numbers.  Used by
// tests/integration/test_outside_readers.py; compiled there with javac against
// var/gephi-lib/gephi-toolkit-*-all.jar (see tests/readers/gephi/pom.xml).
import java.io.File;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import org.gephi.graph.api.Edge;
import org.gephi.graph.api.Graph;
import org.gephi.graph.api.GraphController;
import org.gephi.graph.api.GraphModel;
import org.gephi.graph.api.Interval;
import org.gephi.graph.api.Node;
import org.gephi.graph.api.TimeFormat;
import org.gephi.io.importer.api.Container;
import org.gephi.io.importer.api.ImportController;
import org.gephi.io.processor.plugin.DefaultProcessor;
import org.gephi.project.api.ProjectController;
import org.gephi.project.api.Workspace;
import org.openide.util.Lookup;

public final class GephiRead {

    public static void main(String[] args) throws Exception {
        ProjectController projects = Lookup.getDefault().lookup(ProjectController.class);
        ImportController importer = Lookup.getDefault().lookup(ImportController.class);
        GraphController graphs = Lookup.getDefault().lookup(GraphController.class);
        projects.newProject();
        StringBuilder out = new StringBuilder();
        for (String path : args) {
            Workspace workspace = projects.newWorkspace(projects.getCurrentProject());
            projects.openWorkspace(workspace);
            Container container = importer.importFile(new File(path));
            if (container == null) {
                throw new IllegalStateException("Gephi has no importer for " + path);
            }
            importer.process(container, new DefaultProcessor(), workspace);
            GraphModel model = graphs.getGraphModel(workspace);
            out.append(describe(path, model)).append('\n');
        }
        System.out.print(out);
        System.out.flush();
        System.exit(0); // the toolkit leaves non-daemon threads behind
    }

    private static String describe(String path, GraphModel model) {
        Graph graph = model.getGraph();
        TimeFormat format = model.getTimeFormat();
        ZoneId zone = model.getTimeZone().toTimeZone().toZoneId();
        StringBuilder s = new StringBuilder("{");
        s.append("\"file\": ").append(quote(path));
        s.append(", \"nodes\": ").append(graph.getNodeCount());
        s.append(", \"edges\": ").append(graph.getEdgeCount());
        int directed = 0;
        for (Edge edge : graph.getEdges()) {
            directed += edge.isDirected() ? 1 : 0;
        }
        s.append(", \"directed\": ").append(directed);
        s.append(", \"undirected\": ").append(graph.getEdgeCount() - directed);
        s.append(", \"time_format\": ").append(quote(format.name()));
        s.append(", \"node_list\": [");
        List<String> nodes = new ArrayList<>();
        for (Node node : graph.getNodes()) {
            nodes.add("{\"id\": " + quote(String.valueOf(node.getId())) + ", \"label\": "
                    + quote(node.getLabel()) + "}");
        }
        s.append(String.join(", ", nodes)).append("]");
        s.append(", \"edge_list\": [");
        List<String> edges = new ArrayList<>();
        for (Edge edge : graph.getEdges()) {
            StringBuilder e = new StringBuilder("{");
            e.append("\"id\": ").append(quote(String.valueOf(edge.getId())));
            e.append(", \"source\": ").append(quote(String.valueOf(edge.getSource().getId())));
            e.append(", \"target\": ").append(quote(String.valueOf(edge.getTarget().getId())));
            e.append(", \"directed\": ").append(edge.isDirected());
            Object kind = edge.getTypeLabel();
            e.append(", \"kind\": ").append(kind == null ? "null" : quote(String.valueOf(kind)));
            e.append(", \"label\": ").append(quote(edge.getLabel()));
            e.append(", \"weight\": ").append(edge.getWeight());
            e.append(", \"intervals\": [");
            List<String> spans = new ArrayList<>();
            for (Interval interval : edge.getIntervals()) {
                spans.add("[" + bound(interval.getLow(), format, zone) + ", "
                        + bound(interval.getHigh(), format, zone) + "]");
            }
            e.append(String.join(", ", spans)).append("]}");
            edges.add(e.toString());
        }
        s.append(String.join(", ", edges)).append("]}");
        return s.toString();
    }

    private static String bound(double value, TimeFormat format, ZoneId zone) {
        if (Double.isInfinite(value)) {
            return "null";
        }
        if (format == TimeFormat.DATE || format == TimeFormat.DATETIME) {
            String date = Instant.ofEpochMilli((long) value).atZone(zone).toLocalDate().toString();
            return quote(date);
        }
        return Double.toString(value);
    }

    private static String quote(String text) {
        if (text == null) {
            return "null";
        }
        StringBuilder s = new StringBuilder("\"");
        for (char c : text.toCharArray()) {
            switch (c) {
                case '"': s.append("\\\""); break;
                case '\\': s.append("\\\\"); break;
                case '\n': s.append("\\n"); break;
                case '\r': s.append("\\r"); break;
                case '\t': s.append("\\t"); break;
                default:
                    if (c < 0x20) {
                        s.append(String.format("\\u%04x", (int) c));
                    } else {
                        s.append(c);
                    }
            }
        }
        return s.append('"').toString();
    }
}
