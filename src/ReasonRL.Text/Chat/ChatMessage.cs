// ChatMessage: one turn of a conversation (role + content), the input of chat rendering.
// It is not a tool-call or multimodal message: content is plain text.
namespace ReasonRL.Text.Chat;

/// <summary>Who speaks a turn.</summary>
public enum ChatRole
{
    /// <summary>Instructions for the assistant ("system" in ChatML).</summary>
    System,
    /// <summary>The user ("user").</summary>
    User,
    /// <summary>The model ("assistant").</summary>
    Assistant,
}

/// <summary>One turn.</summary>
/// <param name="Role">Speaker.</param>
/// <param name="Content">Text of the turn (may contain anything; never interpreted as control tokens).</param>
public sealed record ChatMessage(ChatRole Role, string Content)
{
    /// <summary>The ChatML role name: "system", "user" or "assistant".</summary>
    public string RoleName => Role switch
    {
        ChatRole.System => "system",
        ChatRole.User => "user",
        ChatRole.Assistant => "assistant",
        _ => throw new ArgumentOutOfRangeException(nameof(Role), Role, "unknown chat role"),
    };
}
