using Google.Protobuf;
using Google.Protobuf.Reflection;
using MarchProxy.Cli.Output;

namespace MarchProxy.Cli.Planning;

/// <summary>Field-by-field differences between two messages of one type, found through the descriptor.</summary>
public static class FieldDiff
{
    public static List<FieldChange> Compare(IMessage? before, IMessage after)
    {
        var changes = new List<FieldChange>();
        Compare(string.Empty, before, after, changes);
        return changes;
    }

    private static void Compare(string prefix, IMessage? before, IMessage after, List<FieldChange> changes)
    {
        foreach (var field in after.Descriptor.Fields.InFieldNumberOrder())
        {
            var path = prefix + field.Name;
            var old = before is null ? null : field.Accessor.GetValue(before);
            var now = field.Accessor.GetValue(after);
            if (field.FieldType == FieldType.Message && !field.IsRepeated && !field.IsMap && old is IMessage oldMessage && now is IMessage newMessage)
            {
                Compare(path + ".", oldMessage, newMessage, changes);
                continue;
            }

            if (Equals(old, now) || (before is null && ValueText.IsDefault(field, now)))
            {
                continue;
            }

            changes.Add(new FieldChange(
                path,
                before is null ? null : ValueText.Format(field, old),
                ValueText.Format(field, now)));
        }
    }
}
