package io.herald.testing;

import com.sun.source.tree.BinaryTree;
import com.sun.source.tree.ClassTree;
import com.sun.source.tree.CompilationUnitTree;
import com.sun.source.tree.ConditionalExpressionTree;
import com.sun.source.tree.ExpressionTree;
import com.sun.source.tree.IdentifierTree;
import com.sun.source.tree.MemberSelectTree;
import com.sun.source.tree.MethodInvocationTree;
import com.sun.source.tree.MethodTree;
import com.sun.source.tree.ParenthesizedTree;
import com.sun.source.tree.ReturnTree;
import com.sun.source.tree.StatementTree;
import com.sun.source.tree.Tree;
import com.sun.source.tree.VariableTree;
import com.sun.source.util.JavacTask;
import com.sun.source.util.SourcePositions;
import com.sun.source.util.TreeScanner;
import com.sun.source.util.Trees;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import javax.lang.model.element.Modifier;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.ToolProvider;

/**
 * Finds every SQL text handed to the PostgreSQL client ({@code query(...)} / {@code preparedQuery(...)}) in a
 * source tree, parsed with the JDK's own Java parser, and reports each piece of it that is not fixed when the code
 * is compiled: anything but string literals, upper-case constants built from them, and the names a caller declares
 * trusted (for example a schema name that the options class validates as an identifier). Values must travel as bound
 * parameters ({@code $1}), so a request's data can never become SQL.
 */
public final class SqlStatements {

  private static final Set<String> SQL_CALLS = Set.of("query", "preparedQuery");

  private SqlStatements() {
  }

  /**
   * @param sourceRoot a tree of {@code .java} files, e.g. {@code src/main/java}
   * @param trusted    source text of expressions that may be spliced into SQL, each with the reason why, e.g.
   *                   {@code "schema"} (validated as an identifier by the options class)
   * @return one line per untrusted piece: {@code file:line: expression}; empty when every SQL text is fixed
   */
  public static List<String> untrustedPieces(Path sourceRoot, Map<String, String> trusted) {
    List<JavaFileObject> sources = new ArrayList<>();
    try (Stream<Path> files = Files.walk(sourceRoot)) {
      for (Path file : files.filter(f -> f.toString().endsWith(".java")).sorted().toList()) {
        sources.add(source(sourceRoot.relativize(file).toString(), Files.readString(file)));
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the sources under " + sourceRoot, e);
    }
    return untrustedPieces(sources, trusted);
  }

  /** The same for sources given as text, keyed by their file name. */
  public static List<String> untrustedPieces(Map<String, String> sourcesByName, Map<String, String> trusted) {
    List<JavaFileObject> sources = new ArrayList<>();
    sourcesByName.forEach((name, text) -> sources.add(source(name, text)));
    return untrustedPieces(sources, trusted);
  }

  /** @return how many SQL calls the tree has, so that a scan that finds none cannot pass unnoticed */
  public static int calls(Path sourceRoot) {
    int[] count = {0};
    try (Stream<Path> files = Files.walk(sourceRoot)) {
      for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
        JavacTask task = task(List.of(source(file.toString(), Files.readString(file))));
        for (CompilationUnitTree unit : task.parse()) {
          new TreeScanner<Void, Void>() {
            @Override
            public Void visitMethodInvocation(MethodInvocationTree call, Void unused) {
              if (SQL_CALLS.contains(methodName(call)) && !call.getArguments().isEmpty()) {
                count[0]++;
              }
              return super.visitMethodInvocation(call, unused);
            }
          }.scan(unit, null);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the sources under " + sourceRoot, e);
    }
    return count[0];
  }

  private static List<String> untrustedPieces(List<JavaFileObject> sources, Map<String, String> trusted) {
    JavacTask task = task(sources);
    List<CompilationUnitTree> units = new ArrayList<>();
    try {
      task.parse().forEach(units::add);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot parse the sources", e);
    }
    Map<String, Map<String, ExpressionTree>> constants = new HashMap<>();
    units.forEach(unit -> collectConstants(unit, constants));
    List<String> found = new ArrayList<>();
    SourcePositions positions = Trees.instance(task).getSourcePositions();
    units.forEach(unit -> new SqlCalls(unit, positions, constants, trusted, found).scan(unit, null));
    return found;
  }

  /**
   * Every {@code static final} with an initializer, and every method without parameters that only returns an
   * expression (as {@code name()}), by the simple name of the class declaring it.
   */
  private static void collectConstants(CompilationUnitTree unit, Map<String, Map<String, ExpressionTree>> constants) {
    new TreeScanner<Void, String>() {
      @Override
      public Void visitClass(ClassTree type, String outer) {
        return super.visitClass(type, type.getSimpleName().toString());
      }

      @Override
      public Void visitVariable(VariableTree variable, String declaringClass) {
        Set<Modifier> flags = variable.getModifiers().getFlags();
        if (declaringClass != null && flags.contains(Modifier.STATIC) && flags.contains(Modifier.FINAL)
            && variable.getInitializer() != null) {
          constants.computeIfAbsent(declaringClass, c -> new HashMap<>())
              .put(variable.getName().toString(), variable.getInitializer());
        }
        return super.visitVariable(variable, declaringClass);
      }

      @Override
      public Void visitMethod(MethodTree method, String declaringClass) {
        List<? extends StatementTree> body = method.getBody() == null ? List.of() : method.getBody().getStatements();
        if (declaringClass != null && method.getParameters().isEmpty() && body.size() == 1
            && body.get(0) instanceof ReturnTree returned && returned.getExpression() != null) {
          constants.computeIfAbsent(declaringClass, c -> new HashMap<>())
              .put(method.getName() + "()", returned.getExpression());
        }
        return super.visitMethod(method, declaringClass);
      }
    }.scan(unit, null);
  }

  private static JavacTask task(List<JavaFileObject> sources) {
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    if (javac == null) {
      throw new IllegalStateException("no Java compiler in this runtime: the SQL check needs a JDK");
    }
    return (JavacTask) javac.getTask(null, null, null, List.of("-proc:none"), null, sources);
  }

  private static JavaFileObject source(String name, String text) {
    return new SimpleJavaFileObject(URI.create("string:///" + name.replace('\\', '/')), JavaFileObject.Kind.SOURCE) {
      @Override
      public CharSequence getCharContent(boolean ignoreEncodingErrors) {
        return text;
      }
    };
  }

  // only calls on a receiver (pool.query, tx.preparedQuery): a class's own method named query is not the SQL client
  private static String methodName(MethodInvocationTree call) {
    return call.getMethodSelect() instanceof MemberSelectTree member ? member.getIdentifier().toString() : "";
  }

  /** The SQL calls of one file, each argument followed through the constants it is built from. */
  private static final class SqlCalls extends TreeScanner<Void, String> {
    private final CompilationUnitTree unit;
    private final SourcePositions positions;
    private final Map<String, Map<String, ExpressionTree>> constants;
    private final Map<String, String> trusted;
    private final List<String> found;

    SqlCalls(CompilationUnitTree unit, SourcePositions positions, Map<String, Map<String, ExpressionTree>> constants,
             Map<String, String> trusted, List<String> found) {
      this.unit = unit;
      this.positions = positions;
      this.constants = constants;
      this.trusted = trusted;
      this.found = found;
    }

    @Override
    public Void visitClass(ClassTree type, String outer) {
      return super.visitClass(type, type.getSimpleName().toString());
    }

    @Override
    public Void visitMethodInvocation(MethodInvocationTree call, String inClass) {
      if (SQL_CALLS.contains(methodName(call)) && !call.getArguments().isEmpty()) {
        check(call.getArguments().get(0), inClass, call.getArguments().get(0), 0);
      }
      return super.visitMethodInvocation(call, inClass);
    }

    /** @param at where the piece is used in this file, for the report */
    private void check(ExpressionTree sql, String inClass, Tree at, int depth) {
      if (depth > 20 || trusted.containsKey(sql.toString())) {
        return;
      }
      switch (sql.getKind()) {
        case STRING_LITERAL -> { }
        case PARENTHESIZED -> check(((ParenthesizedTree) sql).getExpression(), inClass, at, depth + 1);
        case PLUS -> {
          check(((BinaryTree) sql).getLeftOperand(), inClass, at, depth + 1);
          check(((BinaryTree) sql).getRightOperand(), inClass, at, depth + 1);
        }
        case CONDITIONAL_EXPRESSION -> {
          check(((ConditionalExpressionTree) sql).getTrueExpression(), inClass, at, depth + 1);
          check(((ConditionalExpressionTree) sql).getFalseExpression(), inClass, at, depth + 1);
        }
        case IDENTIFIER -> constant(inClass, ((IdentifierTree) sql).getName().toString(), sql, at, depth);
        case MEMBER_SELECT -> {
          MemberSelectTree member = (MemberSelectTree) sql;
          String owner = member.getExpression().toString();
          constant(owner.substring(owner.lastIndexOf('.') + 1), member.getIdentifier().toString(), sql, at, depth);
        }
        case METHOD_INVOCATION -> {
          // a method without parameters of the same class that only returns a fixed text
          MethodInvocationTree call = (MethodInvocationTree) sql;
          ExpressionTree returned = call.getArguments().isEmpty() && call.getMethodSelect() instanceof IdentifierTree name
              ? constants.getOrDefault(inClass, Map.of()).get(name.getName() + "()") : null;
          if (returned == null) {
            report(sql, at);
          } else {
            check(returned, inClass, at, depth + 1);
          }
        }
        default -> report(sql, at);
      }
    }

    // a piece is fixed at compile time when it names a static final whose initializer is fixed in turn
    private void constant(String owner, String name, ExpressionTree use, Tree at, int depth) {
      ExpressionTree initializer = constants.getOrDefault(owner, Map.of()).get(name);
      if (initializer == null && use instanceof IdentifierTree) {
        // declared by an enclosing class, or statically imported: the one class that declares the name
        List<ExpressionTree> candidates = constants.values().stream().map(c -> c.get(name))
            .filter(java.util.Objects::nonNull).toList();
        initializer = candidates.size() == 1 ? candidates.get(0) : null;
      }
      if (initializer == null) {
        report(use, at);
      } else {
        check(initializer, owner, at, depth + 1);
      }
    }

    private void report(Tree piece, Tree at) {
      long line = unit.getLineMap().getLineNumber(positions.getStartPosition(unit, at));
      String file = unit.getSourceFile().toUri().getPath().replaceFirst("^/", "");
      found.add(file + ":" + line + ": " + piece);
    }
  }
}
