package dev.gort.agent;

import java.lang.classfile.ClassHierarchyResolver;
import java.lang.classfile.ClassModel;
import java.lang.classfile.constantpool.ClassEntry;
import java.lang.constant.ClassDesc;
import java.lang.reflect.AccessFlag;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Owns the class-hierarchy answers the ClassFile API needs to regenerate stack maps (the common
 * superclass at a join point) while a class is being loaded.
 *
 * <p>Why not the API's default resolver: it calls {@code Class.forName} on the system class loader.
 * Loading classes from inside a transformer can ask for the very class being defined
 * (ClassCircularityError), can deadlock two threads that each hold one class's loading lock, and
 * does not see classes of other loaders. Instead: the class being transformed answers for itself
 * from its own bytes, and every other type is read, not loaded, from its {@code .class} resource
 * through the defining loader (which delegates to the JDK's for {@code java/...}). Answers are
 * cached per loader; the cache holds no reference to the loader, so loaders can still be collected.
 */
final class LoaderHierarchy {
    private LoaderHierarchy() {}

    private static final Map<ClassLoader, Map<ClassDesc, ClassHierarchyResolver.ClassHierarchyInfo>> CACHES =
            new WeakHashMap<>();

    /** A resolver for transforming {@code self}, defined by {@code loader}. */
    static ClassHierarchyResolver forClass(ClassModel self, ClassLoader loader) {
        ClassDesc selfDesc = self.thisClass().asSymbol();
        ClassHierarchyResolver.ClassHierarchyInfo selfInfo = self.flags().has(AccessFlag.INTERFACE)
                ? ClassHierarchyResolver.ClassHierarchyInfo.ofInterface()
                : ClassHierarchyResolver.ClassHierarchyInfo.ofClass(
                        self.superclass().map(ClassEntry::asSymbol).orElse(null));
        ClassHierarchyResolver own = cd -> cd.equals(selfDesc) ? selfInfo : null;
        Map<ClassDesc, ClassHierarchyResolver.ClassHierarchyInfo> cache = cacheOf(loader);
        return own.orElse(ClassHierarchyResolver.ofResourceParsing(loader).cached(() -> cache));
    }

    private static Map<ClassDesc, ClassHierarchyResolver.ClassHierarchyInfo> cacheOf(ClassLoader loader) {
        synchronized (CACHES) {
            return CACHES.computeIfAbsent(loader, l -> new ConcurrentHashMap<>());
        }
    }
}
