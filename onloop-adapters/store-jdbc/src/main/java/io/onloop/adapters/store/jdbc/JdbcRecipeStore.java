package io.onloop.adapters.store.jdbc;

import io.onloop.domain.event.Ids;
import io.onloop.domain.runbook.Recipe;
import io.onloop.domain.runbook.RecipeStore;
import io.onloop.domain.runbook.RecipeTemplate;
import tools.jackson.databind.json.JsonMapper;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * {@link RecipeStore} over plain JDBC. Recipes and templates are kept as JSON of the domain
 * records (read back by the same code); edits are append-only versions.
 */
final class JdbcRecipeStore implements RecipeStore {
    private static final System.Logger LOG = System.getLogger(JdbcRecipeStore.class.getName());
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private final DataSource dataSource;

    JdbcRecipeStore(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    private static final String UPDATE_RECIPE = "UPDATE incident_recipes SET source = ?, class_id = ?, recipe_json = ?,"
            + " updated_at = ? WHERE tenant_id = ? AND incident_id = ?";
    private static final String INSERT_RECIPE = "INSERT INTO incident_recipes (source, class_id, recipe_json, updated_at,"
            + " tenant_id, incident_id) VALUES (?,?,?,?,?,?)";

    @Override
    public void putIncidentRecipe(String tenantId, UUID incidentId, Recipe recipe, Instant at) {
        List<Object> values = values(new IncidentRecipe(tenantId, incidentId, recipe, at));
        run(c -> {
            if (JdbcEventStore.update(c, UPDATE_RECIPE, values) == 0 && !insertUnlessTaken(c, values)) {
                JdbcEventStore.update(c, UPDATE_RECIPE, values); // another writer inserted first
            }
            return null;
        });
    }

    /** Inserts the recipe row; false if the incident has one already (its key is taken). */
    private static boolean insertUnlessTaken(Connection c, List<Object> values) throws SQLException {
        try {
            JdbcEventStore.update(c, INSERT_RECIPE, values);
            return true;
        } catch (SQLException e) {
            if (!"23505".equals(e.getSQLState())) {
                throw e;
            }
            return false;
        }
    }

    /**
     * One transaction for a storm's worth of new recipes: a commit per recipe cost more than making them.
     * If an incident got a recipe meanwhile (the insert's key is taken), the batch is undone and each is
     * inserted on its own, those already there left as they are.
     */
    @Override
    public void addIncidentRecipes(List<IncidentRecipe> recipes) {
        if (recipes.isEmpty()) {
            return;
        }
        try {
            run(c -> {
                c.setAutoCommit(false);
                try (PreparedStatement insert = c.prepareStatement(INSERT_RECIPE)) {
                    for (IncidentRecipe r : recipes) {
                        Sql.bind(insert, values(r));
                        insert.addBatch();
                    }
                    insert.executeBatch();
                    c.commit();
                } catch (SQLException | RuntimeException e) {
                    c.rollback();
                    throw e;
                } finally {
                    c.setAutoCommit(true);
                }
                return null;
            });
        } catch (RuntimeException batchFailed) {
            LOG.log(System.Logger.Level.DEBUG, "recipe batch undone; inserting one by one", batchFailed);
            RuntimeException first = null;
            for (IncidentRecipe r : recipes) {
                try {
                    run(c -> insertUnlessTaken(c, values(r)));
                } catch (RuntimeException e) {
                    first = first == null ? e : first;
                }
            }
            if (first != null) {
                throw first;
            }
        }
    }

    private static List<Object> values(IncidentRecipe r) {
        return List.of(r.recipe().provenance().source().id(), r.recipe().provenance().classId(),
                JSON.writeValueAsString(r.recipe()), r.updatedAt(), r.tenantId(), r.incidentId());
    }

    @Override
    public Optional<IncidentRecipe> incidentRecipe(String tenantId, UUID incidentId) {
        return run(c -> JdbcEventStore.one(c, "SELECT tenant_id, incident_id, recipe_json, updated_at"
                + " FROM incident_recipes WHERE tenant_id = ? AND incident_id = ?", List.of(tenantId, incidentId),
                rs -> new IncidentRecipe(rs.getString("tenant_id"), Sql.uuid(rs, "incident_id"),
                        JSON.readValue(rs.getString("recipe_json"), Recipe.class), Sql.instant(rs, "updated_at"))));
    }

    @Override
    public RecipeEdit addEdit(String tenantId, String classId, RecipeTemplate template, String author, Instant at,
                              String note) {
        String json = template == null ? null : JSON.writeValueAsString(template);
        for (int attempt = 0; ; attempt++) {
            try (Connection c = dataSource.getConnection()) {
                int version = JdbcEventStore.one(c, "SELECT COALESCE(MAX(version), 0) AS v FROM runbook_edits"
                        + " WHERE tenant_id = ? AND class_id = ?", List.of(tenantId, classId), rs -> rs.getInt("v"))
                        .orElse(0) + 1;
                JdbcEventStore.update(c, "INSERT INTO runbook_edits (tenant_id, class_id, version, template_json,"
                        + " author, created_at, note) VALUES (?,?,?,?,?,?,?)", List.of(tenantId, classId, version,
                        Sql.textOrNull(json), author == null ? "" : author, at,
                        note == null ? "" : note));
                return new RecipeEdit(tenantId, classId, version, template, author, Sql.time(at).toInstant(), note);
            } catch (SQLException e) {
                String state = e.getSQLState() == null ? "" : e.getSQLState();
                if (state.equals("23505") && attempt < 3) {
                    continue; // two edits raced for the same version number: take the next
                }
                if (state.startsWith("23")) {
                    throw new IllegalArgumentException("edit violates a constraint (unknown tenant?)", e);
                }
                throw JdbcEventStore.failure("cannot save the runbook edit", e);
            }
        }
    }

    @Override
    public List<RecipeEdit> edits(String tenantId, String classId) {
        return run(c -> JdbcEventStore.list(c, "SELECT * FROM runbook_edits WHERE tenant_id = ? AND class_id = ?"
                + " ORDER BY version DESC", List.of(tenantId, classId), JdbcRecipeStore::edit));
    }

    @Override
    public Optional<RecipeEdit> currentEdit(String tenantId, String classId) {
        return run(c -> JdbcEventStore.one(c, "SELECT * FROM runbook_edits WHERE tenant_id = ? AND class_id = ?"
                + " ORDER BY version DESC FETCH FIRST 1 ROWS ONLY", List.of(tenantId, classId), JdbcRecipeStore::edit));
    }

    @Override
    public void addLlmUsage(LlmUsage u) {
        run(c -> JdbcEventStore.update(c, "INSERT INTO llm_usage (id, tenant_id, at, provider, model, input_tokens,"
                + " output_tokens, cost) VALUES (?,?,?,?,?,?,?,?)", List.of(Ids.newId(u.at()), u.tenantId(), u.at(),
                u.provider(), u.model(), u.inputTokens(), u.outputTokens(), u.cost())));
    }

    @Override
    public LlmUsage.Totals llmUsage(String tenantId, Instant since) {
        return run(c -> JdbcEventStore.one(c, "SELECT COUNT(*) AS calls, COALESCE(SUM(input_tokens), 0) AS tin,"
                + " COALESCE(SUM(output_tokens), 0) AS tout, COALESCE(SUM(cost), 0) AS cost FROM llm_usage"
                + " WHERE tenant_id = ? AND at >= ?", List.of(tenantId, since),
                rs -> new LlmUsage.Totals(rs.getLong("calls"), rs.getLong("tin"), rs.getLong("tout"),
                        rs.getDouble("cost"))).orElseThrow());
    }

    private static RecipeEdit edit(ResultSet rs) throws SQLException {
        String json = rs.getString("template_json");
        return new RecipeEdit(rs.getString("tenant_id"), rs.getString("class_id"), rs.getInt("version"),
                json == null ? null : JSON.readValue(json, RecipeTemplate.class), rs.getString("author"),
                Sql.instant(rs, "created_at"), rs.getString("note"));
    }

    private interface Work<T> {
        T run(Connection c) throws SQLException;
    }

    private <T> T run(Work<T> work) {
        try (Connection c = dataSource.getConnection()) {
            return work.run(c);
        } catch (SQLException e) {
            throw JdbcEventStore.failure("recipe store failed", e);
        }
    }
}
