/** Prints an HS256 bearer token for bench scripts. Usage: Token SECRET SUBJECT SCOPE */
public class Token {
  public static void main(String[] args) throws Exception {
    System.out.println(Load.jwt(args[0], args[1], args[2]));
  }
}
