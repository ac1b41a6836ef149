using IclPrune.Evaluation.Data;
using IclPrune.Evaluation.Prompts;
using IclPrune.Evaluation.Tasks;

namespace IclPrune.Tests.Evaluation;

/// <summary>
/// Every built-in task's prompt, built from a small JSONL file through the real loader, against a hand-written string
/// (templates from docs/method.md section 3 / the paper's Table 1, with the fixes listed in docs/tasks.md).
/// </summary>
public class PromptRendererTests
{
    static IReadOnlyList<Example> Load(TaskDefinition task, params string[] jsonLines)
    {
        using var folder = new TempFolder();
        string path = folder.Write("train.jsonl", string.Join("\n", jsonLines) + "\n");
        return TaskDataLoader.Label(task, DataFileReader.Read("train", path));
    }

    static void AssertPrompt(string taskId, string[] rows, string expectedPrompt, string[] expectedAnswers)
    {
        var task = TaskCatalog.Get(taskId);
        var examples = Load(task, rows);
        var demonstrations = examples.Take(examples.Count - 1).ToList();
        var query = examples[^1];
        Assert.That(PromptRenderer.FullPrompt(task, demonstrations, query), Is.EqualTo(expectedPrompt));
        var answers = Enumerable.Range(0, task.Classes.Count).Select(c => PromptRenderer.Answer(task, query, c));
        Assert.That(answers, Is.EqualTo(expectedAnswers));
    }

    [Test]
    public void FullPrompt_Sst2_MatchesPaperTemplate()
    {
        AssertPrompt("sst2",
            [
                """{"sentence": "a gripping film ", "label": 1, "idx": 0}""",
                """{"sentence": "dull and slow ", "label": 0, "idx": 1}""",
                """{"sentence": "an unexpected delight ", "label": 1, "idx": 2}""",
            ],
            "text: a gripping film\n sentiment : pos \ntext: dull and slow\n sentiment : neg \ntext: an unexpected delight\n sentiment :",
            [" pos", " neg"]);
    }

    [Test]
    public void FullPrompt_Agnews_UsesSentimentColonAsTheCodeDoes()
    {
        AssertPrompt("agnews",
            [
                """{"text": "Stocks fall.", "label": 2}""",
                """{"text": "Team wins cup.", "label": 1}""",
                """{"text": "New chip unveiled.", "label": 3}""",
            ],
            "text: Stocks fall.\n sentiment : business \ntext: Team wins cup.\n sentiment : sports \ntext: New chip unveiled.\n sentiment :",
            [" world", " sports", " business", " science"]);
    }

    [Test]
    public void FullPrompt_Emoc_MapsOthersToPosAndEmotionsToNeg()
    {
        AssertPrompt("emoc",
            [
                """{"text": "what time is it", "label": 0}""",
                """{"text": "i am so sad today", "label": 2}""",
                """{"text": "whatever", "label": 3}""",
            ],
            "text: what time is it\n sentiment : pos \ntext: i am so sad today\n sentiment : neg \ntext: whatever\n sentiment :",
            [" pos", " neg"]);
    }

    [Test]
    public void FullPrompt_Mrpc_MatchesPaperTemplate()
    {
        AssertPrompt("mrpc",
            [
                """{"sentence1": "He left.", "sentence2": "He went away.", "label": 1, "idx": 0}""",
                """{"sentence1": "It rained.", "sentence2": "It was sunny.", "label": 0, "idx": 1}""",
            ],
            "sentence1: He left. \n sentence2: He went away.\n label : true \nsentence1: It rained. \n sentence2: It was sunny.\n label :",
            [" true", " false"]);
    }

    [Test]
    public void FullPrompt_Rte_HasNoTrailingSpaceBeforeTheAnswer()
    {
        AssertPrompt("rte",
            [
                """{"premise": "A cat sat.", "hypothesis": "an animal sat", "label": 0, "idx": 0}""",
                """{"premise": "It is dark.", "hypothesis": "it is noon", "label": 1, "idx": 1}""",
            ],
            "A cat sat. Does this mean that an animal sat is true? select Yes or No? Yes\n" +
            "It is dark. Does this mean that it is noon is true? select Yes or No?",
            [" Yes", " No"]);
    }

    [Test]
    public void FullPrompt_Cb_WritesMaybeNotMi()
    {
        AssertPrompt("cb",
            [
                """{"premise": "B: maybe he came.", "hypothesis": "he came", "label": 2, "idx": 0}""",
                """{"premise": "She said no.", "hypothesis": "she agreed", "label": 1, "idx": 1}""",
                """{"premise": "He is here.", "hypothesis": "he arrived", "label": 0, "idx": 2}""",
            ],
            "Suppose B: maybe he came. Can we infer that 'he came'? Yes, No, or Maybe? Maybe\n" +
            "Suppose She said no. Can we infer that 'she agreed'? Yes, No, or Maybe? No\n" +
            "Suppose He is here. Can we infer that 'he arrived'? Yes, No, or Maybe?",
            [" Yes", " Maybe", " No"]);
    }

    [Test]
    public void FullPrompt_Copa_DemonstrationsCarryTheCorrectChoice()
    {
        AssertPrompt("copa",
            [
                """{"premise": "The man broke his toe.", "choice1": "He dropped a hammer on his foot.", "choice2": "He got a hole in his sock.", "question": "cause", "label": 0, "idx": 0}""",
                """{"premise": "I tipped the bottle.", "choice1": "The liquid froze.", "choice2": "The liquid spilled.", "question": "effect", "label": 1, "idx": 1}""",
                """{"premise": "The girl found a bug.", "choice1": "She ran away.", "choice2": "She slept.", "question": "effect", "label": 0, "idx": 2}""",
            ],
            "The man broke his toe.\ncause\nHe dropped a hammer on his foot.\n" +
            "I tipped the bottle.\neffect\nThe liquid spilled.\n" +
            "The girl found a bug.\neffect\n",
            ["She slept.\n", "She ran away.\n"]);
    }

    [Test]
    public void FullPrompt_SeparatorAndEscapedBraces_AreRenderedLiterally()
    {
        string yaml = TaskCatalog.Get("sst2").SourceText
            .Replace("separator: \"\"", "separator: \"\\n---\\n\"")
            .Replace("demonstration: \"text: {sentence}", "demonstration: \"{{x}} text: {sentence}");
        var task = TaskParser.Parse(yaml, "inline");
        var examples = Load(task, """{"sentence": "good", "label": 1}""", """{"sentence": "bad", "label": 0}""");
        Assert.That(PromptRenderer.FullPrompt(task, [examples[0]], examples[1]),
            Is.EqualTo("{x} text: good\n sentiment : pos \n\n---\ntext: bad\n sentiment :"));
    }
}
